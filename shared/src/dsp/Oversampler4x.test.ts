import { describe, expect, it } from 'vitest';
import { Oversampler4x } from './Oversampler4x.ts';
import { seededNoise } from './renderInChromium.testkit.ts';

/** Reference: `up` then Math.max of the four magnitudes, one sample at a time. */
function reference(x: Float32Array, taps: number): Float64Array {
  const os = new Oversampler4x(taps, 6);
  const hi = new Float64Array(4);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    os.up(x[i]!, hi, 0);
    out[i] = Math.max(Math.abs(hi[0]!), Math.abs(hi[1]!), Math.abs(hi[2]!), Math.abs(hi[3]!));
  }
  return out;
}

describe('Oversampler4x peak helpers', () => {
  // Noise with a NaN, an infinity and exact zeros in it: the helpers must agree with
  // Math.max on those too (the limiter's gain must not depend on which helper ran).
  const x = seededNoise(20000, 0.9, 7);
  x[5000] = NaN;
  x[9000] = Infinity;
  x.fill(0, 12000, 12100);

  for (const taps of [49, 193]) {
    const want = reference(x, taps);
    it(`upPeak equals up + Math.max sample by sample (${taps} taps)`, () => {
      const os = new Oversampler4x(taps, 6);
      const got = Float64Array.from(x, (v) => os.upPeak(v));
      expect(Object.is(got[5000], NaN)).toBe(true);
      for (let i = 0; i < x.length; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
    });

    it(`upPeaks equals it for any cut into blocks, and leaves the same state (${taps} taps)`, () => {
      for (const block of [1, 7, 128, 129, 4096]) {
        const os = new Oversampler4x(taps, 6);
        const got = new Float64Array(x.length);
        const part = new Float64Array(block);
        for (let i = 0; i < x.length; i += block) {
          const n = Math.min(block, x.length - i);
          // Alternate with the per-sample form: both must keep one consistent history.
          if ((i / block) % 3 === 2) for (let j = 0; j < n; j++) got[i + j] = os.upPeak(x[i + j]!);
          else {
            os.upPeaks(x, i, n, part);
            got.set(part.subarray(0, n), i);
          }
        }
        let mismatches = 0;
        for (let i = 0; i < x.length; i++) if (!Object.is(got[i], want[i])) mismatches++;
        expect({ block, mismatches }).toEqual({ block, mismatches: 0 });
      }
    });
  }
});
