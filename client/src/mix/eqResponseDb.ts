import type { TrackState } from '@mixroom/shared/model';
import { defaultMaster, defaultSession } from '@mixroom/shared/model';
import { buildMixPlan, type BiquadPlanNode } from '@mixroom/shared/plan';
import { biquadResponse } from '@mixroom/shared/dsp';

/**
 * The EQ curve of a track in dB at each frequency: the product of the biquads the engine
 * builds for it (taken from the same plan builder, so bypass rules, Q conversions and
 * coefficient formulas are the real ones, never a drawing approximation).
 */
export function eqResponseDb(track: TrackState, sampleRate: number, freqs: Float32Array): Float64Array {
  const plan = buildMixPlan({ session: defaultSession('eq', sampleRate), tracks: [track], buses: [], master: defaultMaster() });
  const filters = plan.nodes.filter((n): n is BiquadPlanNode => n.kind === 'biquad' && n.owner.kind === 'track' && !n.bypass);
  const total = new Float64Array(freqs.length);
  for (const f of filters) {
    const r = biquadResponse({ type: f.type, frequency: f.frequency, Q: f.q, gain: f.gain }, sampleRate, freqs);
    for (let i = 0; i < freqs.length; i++) total[i]! += 20 * Math.log10(Math.max(1e-9, r.magnitude[i]!));
  }
  return total;
}
