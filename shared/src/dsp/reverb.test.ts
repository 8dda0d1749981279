import { describe, expect, it } from 'vitest';
import { BiquadProcessor } from './biquad.ts';
import { ReverbProcessor, type ReverbParams } from './reverb.ts';
import { seededNoise } from './testSignals.testkit.ts';
import { maxDiff, renderBlocks } from './testSignals.testkit.ts';

const SR = 48000;

function verb(p: Partial<ReverbParams>): () => ReverbProcessor {
  return () => {
    const r = new ReverbProcessor(SR);
    r.setParams(p);
    return r;
  };
}

/** RT60 from the Schroeder energy decay curve, fitted between -5 and -35 dB. */
function measureRt60(l: Float32Array, r: Float32Array): number {
  const n = l.length;
  const edc = new Float64Array(n);
  let acc = 0;
  for (let i = n - 1; i >= 0; i--) {
    acc += l[i]! * l[i]! + r[i]! * r[i]!;
    edc[i] = acc;
  }
  const total = edc[0]!;
  let sx = 0, sy = 0, sxx = 0, sxy = 0, cnt = 0;
  for (let i = 0; i < n; i++) {
    const d = 10 * Math.log10(edc[i]! / total);
    if (d <= -5 && d >= -35) {
      const t = i / SR;
      sx += t; sy += d; sxx += t * t; sxy += t * d; cnt++;
    }
  }
  const slope = (cnt * sxy - sx * sy) / (cnt * sxx - sx * sx); // dB per second
  return -60 / slope;
}

describe('ReverbProcessor', () => {
  for (const decay of [0.8, 2, 4]) {
    it(`energy decay curve slope (below 1 kHz) matches RT60 = ${decay} s within 10 %`, () => {
      const len = Math.round(SR * decay * 1.5);
      const x = new Float32Array(len);
      x[0] = 1;
      const [l, r] = renderBlocks(verb({ decay, preDelay: 0, damping: 20000 }), [x, x], 4096, 2);
      // decay is the low-frequency RT60 (the damping low-pass shortens the highs by
      // design), so measure the energy decay of the response below 1 kHz.
      for (const ch of [l!, r!]) {
        const lp = new BiquadProcessor(SR);
        lp.setParams({ type: 'lowpass', frequency: 1000, Q: 0 });
        lp.process([ch], [ch], ch.length);
        lp.reset();
        lp.setParams({ type: 'lowpass', frequency: 1000, Q: 0 });
        lp.process([ch], [ch], ch.length);
      }
      const rt = measureRt60(l!, r!);
      console.log(`reverb RT60 set ${decay} s, measured ${rt.toFixed(3)} s`);
      expect(Math.abs(rt - decay) / decay).toBeLessThan(0.1);
    });
  }

  it('damping shortens the high-frequency decay only', () => {
    const x = new Float32Array(SR * 2);
    x[0] = 1;
    const [bright] = renderBlocks(verb({ decay: 2, preDelay: 0, damping: 20000 }), [x], 4096, 2);
    const [dark] = renderBlocks(verb({ decay: 2, preDelay: 0, damping: 1500 }), [x], 4096, 2);
    // High-frequency content of the late tail (first difference ≈ high-pass).
    const hf = (y: Float32Array) => {
      let s = 0;
      for (let i = SR; i < 2 * SR; i++) s += (y[i]! - y[i - 1]!) ** 2;
      return s;
    };
    expect(hf(dark!)).toBeLessThan(hf(bright!) * 0.1);
  });

  it('pre-delay delays the onset by the set time', () => {
    const x = new Float32Array(SR / 2);
    x[0] = 1;
    const [l, r] = renderBlocks(verb({ decay: 1, preDelay: 0.05 }), [x], 128, 2);
    let first = -1;
    for (let i = 0; i < x.length; i++) if (l![i] !== 0 || r![i] !== 0) { first = i; break; }
    // The earliest tap is the shortest line after the pre-delay.
    expect(first).toBeGreaterThanOrEqual(0.05 * SR);
    expect(first).toBeLessThan(0.05 * SR + 1200);
  });

  it('is deterministic (two renders null exactly) and block-size independent', () => {
    const x = [seededNoise(SR, 0.5, 41), seededNoise(SR, 0.5, 42)];
    const a = renderBlocks(verb({ decay: 3, preDelay: 0.01, damping: 6000 }), x, 128, 2);
    const b = renderBlocks(verb({ decay: 3, preDelay: 0.01, damping: 6000 }), x, 128, 2);
    const c = renderBlocks(verb({ decay: 3, preDelay: 0.01, damping: 6000 }), x, 4096, 2);
    expect(maxDiff(a, b)).toBe(0);
    expect(maxDiff(a, c)).toBe(0);
    expect(maxDiff([a[0]!], [new Float32Array(SR)])).toBeGreaterThan(0.01); // it did something
  });
});
