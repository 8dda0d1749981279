import { describe, expect, it } from 'vitest';
import { TRUE_PEAK_PHASES, TRUE_PEAK_TAPS } from './truePeakFilter.ts';
import { TruePeakMeter } from './TruePeakMeter.ts';
import { seededNoise } from '../testSignals.testkit.ts';

/**
 * The meter written the plain way: the table's taps in an indexed loop, each phase summed
 * from the newest sample to the oldest, magnitudes by sign test. The unrolled meter must
 * read exactly this double (its speed-ups may not move a single bit of the report).
 */
function referencePeak(input: Float32Array, phases: readonly (readonly number[])[] = TRUE_PEAK_PHASES): number {
  const hist = new Float64Array(TRUE_PEAK_TAPS);
  let peak = 0;
  for (const x of input) {
    if (!Number.isFinite(x)) continue;
    hist.copyWithin(1, 0, TRUE_PEAK_TAPS - 1);
    hist[0] = x;
    const a = x < 0 ? -x : x;
    if (a > peak) peak = a;
    for (const taps of phases) {
      let y = taps[0]! * hist[0]!;
      for (let k = 1; k < TRUE_PEAK_TAPS; k++) y += taps[k]! * hist[k]!;
      const m = y < 0 ? -y : y;
      if (m > peak) peak = m;
    }
  }
  return peak;
}

describe('TruePeakMeter', () => {
  it('reads exactly the plain indexed-loop peak on noise, spikes, NaN and Infinity, any block cut', () => {
    const x = seededNoise(48000 * 4, 0.9, 7);
    // Inter-sample overs: alternating full-scale samples ring far above 0 dBFS between them.
    for (let i = 0; i < 64; i++) x[50000 + i] = i % 2 ? 1 : -1;
    x[60000] = NaN;
    x[60001] = Infinity;
    x[60002] = -Infinity;
    x[70000] = -0;
    const want = referencePeak(x);
    expect(want).toBeGreaterThan(1.5); // the overs, not a sample value, set the reading
    for (const block of [1, 128, 333, 8192, x.length]) {
      const m = new TruePeakMeter();
      for (let i = 0; i < x.length; i += block) m.process(x, i, Math.min(x.length, i + block));
      expect(m.linearPeak, `block ${block}`).toBe(want);
    }
    // The reference is sensitive to a single tap: the comparison above can fail.
    const mutated = TRUE_PEAK_PHASES.map((row, p) => row.map((c, k) => (p === 1 && k === 5 ? c + 2 ** -12 : c)));
    expect(referencePeak(x, mutated)).not.toBe(want);
  });

  it('on quiet noise the interpolated values set the reading, bit for bit', () => {
    const x = seededNoise(48000 * 2, 0.25, 99);
    const m = new TruePeakMeter();
    m.process(x);
    expect(m.linearPeak).toBe(referencePeak(x));
    let samplePeak = 0;
    for (const v of x) samplePeak = Math.max(samplePeak, Math.abs(v));
    expect(m.linearPeak).toBeGreaterThan(samplePeak);
  });
});
