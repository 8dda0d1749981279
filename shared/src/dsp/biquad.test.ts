import { describe, expect, it } from 'vitest';
import { BiquadProcessor, biquadCoefficients, biquadResponse, type BiquadParams } from './biquad.ts';
import { DspParamError } from './DspParamError.ts';
import { seededNoise } from './testSignals.testkit.ts';
import { maxDiff, renderBlocks, rmsOf, sine } from './testSignals.testkit.ts';

const SR = 48000;
const db = (x: number) => 20 * Math.log10(x);

describe('biquadResponse vs the analytic cookbook magnitudes', () => {
  const at = (p: BiquadParams, f: number) => db(biquadResponse(p, SR, [f]).magnitude[0]!);
  it('peaking: +gain at f0, ~0 dB far away', () => {
    expect(at({ type: 'peaking', frequency: 1000, Q: 2, gain: 6 }, 1000)).toBeCloseTo(6, 3);
    expect(at({ type: 'peaking', frequency: 1000, Q: 2, gain: -9 }, 1000)).toBeCloseTo(-9, 3);
    expect(Math.abs(at({ type: 'peaking', frequency: 1000, Q: 2, gain: 6 }, 20))).toBeLessThan(0.05);
  });
  it('lowpass/highpass: Q in dB is the resonance gain at the cutoff; -12 dB/oct far off', () => {
    expect(at({ type: 'lowpass', frequency: 2000, Q: 6, gain: 0 }, 2000)).toBeCloseTo(6, 2);
    expect(at({ type: 'highpass', frequency: 100, Q: 0, gain: 0 }, 100)).toBeCloseTo(0, 2);
    expect(at({ type: 'lowpass', frequency: 2000, Q: 0, gain: 0 }, 0)).toBeCloseTo(0, 6);
    const slope = at({ type: 'highpass', frequency: 1000, Q: 0, gain: 0 }, 100) - at({ type: 'highpass', frequency: 1000, Q: 0, gain: 0 }, 50);
    expect(slope).toBeCloseTo(12, 0);
  });
  it('shelves: full gain at the far end, half the gain (dB) at f0', () => {
    expect(at({ type: 'lowshelf', frequency: 200, Q: 1, gain: 8 }, 0)).toBeCloseTo(8, 5);
    expect(at({ type: 'lowshelf', frequency: 200, Q: 1, gain: 8 }, 200)).toBeCloseTo(4, 2);
    expect(at({ type: 'highshelf', frequency: 5000, Q: 1, gain: -6 }, 24000)).toBeCloseTo(-6, 4);
    expect(at({ type: 'highshelf', frequency: 5000, Q: 1, gain: -6 }, 5000)).toBeCloseTo(-3, 2);
  });
  it('notch is 0 at f0 and bandpass is unity at f0', () => {
    expect(biquadResponse({ type: 'notch', frequency: 60, Q: 10, gain: 0 }, SR, [60]).magnitude[0]).toBeLessThan(1e-6);
    expect(at({ type: 'bandpass', frequency: 3000, Q: 3, gain: 0 }, 3000)).toBeCloseTo(0, 4);
    expect(at({ type: 'allpass', frequency: 3000, Q: 3, gain: 0 }, 700)).toBeCloseTo(0, 6);
  });
  it('returns NaN outside [0, Nyquist] like getFrequencyResponse', () => {
    const r = biquadResponse({ type: 'peaking', frequency: 1000, Q: 1, gain: 3 }, SR, [-1, 30000]);
    expect(Number.isNaN(r.magnitude[0])).toBe(true);
    expect(Number.isNaN(r.phase[1])).toBe(true);
  });
});

describe('BiquadProcessor', () => {
  it('rendered sine levels match biquadResponse', () => {
    const p: BiquadParams = { type: 'peaking', frequency: 800, Q: 1.5, gain: 7 };
    for (const f of [100, 800, 3000]) {
      const [y] = renderBlocks(() => {
        const k = new BiquadProcessor(SR);
        k.setParams(p);
        return k;
      }, [sine(SR, f, 0.25, SR)], 128);
      // RMS over a whole number of periods (sampled peaks miss the true peak).
      const measured = db((rmsOf(y!, SR / 2) * Math.SQRT2) / 0.25);
      const expected = db(biquadResponse(p, SR, [f]).magnitude[0]!);
      console.log(`peaking 800 Hz +7 dB at ${f} Hz: measured ${measured.toFixed(3)} dB, response ${expected.toFixed(3)} dB`);
      expect(Math.abs(measured - expected)).toBeLessThan(0.02);
    }
  });

  it('is block-size independent (128 vs 4096), including a ramped parameter change', () => {
    const x = [seededNoise(SR, 0.5, 9), seededNoise(SR, 0.5, 10)];
    const render = (block: number) => {
      const k = new BiquadProcessor(SR);
      k.setParams({ type: 'lowshelf', frequency: 150, gain: 5 });
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      for (let i = 0; i < SR; i += block) {
        if (i === 8192) k.setParams({ frequency: 400, gain: -3 }); // same sample in both renders
        const n = Math.min(block, SR - i);
        k.process(x.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n);
      }
      return outs;
    };
    expect(maxDiff(render(128), render(4096))).toBe(0);
  });

  it('refuses NaN with a typed error and keeps its state', () => {
    const k = new BiquadProcessor(SR);
    k.setParams({ type: 'peaking', frequency: 1000, gain: 3, Q: 1 });
    expect(() => k.setParams({ frequency: NaN })).toThrow(DspParamError);
    expect(() => k.setParams({ type: 'bogus' as never })).toThrow(DspParamError);
    expect(k.getParams().frequency).toBe(1000);
    k.setParams({ frequency: 1e9 });
    expect(k.getParams().frequency).toBe(SR / 2);
  });

  it('coefficientsPerFrame of a riding peaking gain equals biquadCoefficients frame by frame, bit for bit', () => {
    // A ramp (every frame differs), a hold, a step and a slow ramp (values repeat), then NaN-free extremes.
    const frames = 4096;
    const gain = new Float32Array(frames);
    for (let i = 0; i < frames; i++) gain[i] = i < 1500 ? -12 + (i * 24) / 1500 : i < 2500 ? 6 : i < 3000 ? -3 : i < 4000 ? -3 + (i - 3000) * 1e-7 : i % 2 ? 1541 : -1541;
    const out = new Float64Array(5 * frames);
    for (const [frequency, Q] of [[2000, 0.9], [0, 1], [SR / 2, 1], [30, 0], [500, -4], [19000, 30], [1234.5, 1e-3]] as const) {
      const k = new BiquadProcessor(SR);
      k.setParams({ type: 'peaking', frequency, Q, gain: 0 });
      k.coefficientsPerFrame(frames, null, gain, out);
      const wrong: number[] = [];
      for (let i = 0; i < frames && wrong.length < 3; i++) {
        const c = biquadCoefficients('peaking', frequency, Q, gain[i]!, SR);
        if (![c.b0, c.b1, c.b2, c.a1, c.a2].every((v, j) => Object.is(v, out[5 * i + j]))) wrong.push(i);
      }
      expect({ frequency, Q, wrong }).toEqual({ frequency, Q, wrong: [] });
      // Left settled on the last frame's values, as processAutomated promises.
      expect(k.getParams().gain).toBe(gain[frames - 1]);
      expect(k.coefficients).toEqual(biquadCoefficients('peaking', frequency, Q, gain[frames - 1]!, SR));
    }
  });
});
