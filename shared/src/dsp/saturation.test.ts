import { describe, expect, it } from 'vitest';
import { SaturationProcessor, softClip, type SaturationParams } from './saturation.ts';
import { seededNoise } from './testSignals.testkit.ts';
import { maxDiff, renderBlocks, sine, toneAmplitude } from './testSignals.testkit.ts';

const SR = 48000;
const db = (x: number) => 20 * Math.log10(x);

function sat(p: Partial<SaturationParams>): () => SaturationProcessor {
  return () => {
    const s = new SaturationProcessor(SR);
    s.setParams(p);
    return s;
  };
}

function thd(y: Float32Array, f: number): number {
  const from = SR / 2;
  const n = SR / 2;
  const fund = toneAmplitude(y, f, SR, from, n);
  let harm = 0;
  for (let h = 2; h <= 9; h++) harm += toneAmplitude(y, h * f, SR, from, n) ** 2;
  return Math.sqrt(harm) / fund;
}

describe('SaturationProcessor', () => {
  it('THD rises with drive', () => {
    const x = sine(SR, 1000, 0.5, SR);
    let prev = -Infinity;
    for (const drive of [0, 6, 12, 18, 24]) {
      const [y] = renderBlocks(sat({ drive, mix: 1 }), [x], 128);
      const t = db(thd(y!, 1000));
      console.log(`drive ${drive} dB: THD ${t.toFixed(1)} dB`);
      expect(t).toBeGreaterThan(prev + 1);
      prev = t;
    }
  });

  it('mix = 0 nulls exactly against the dry input delayed by latencyFrames', () => {
    const x = seededNoise(SR, 0.8, 4);
    const k = new SaturationProcessor(SR);
    const L = k.latencyFrames;
    const [y] = renderBlocks(sat({ drive: 20, mix: 0 }), [x], 128);
    const delayed = new Float32Array(SR);
    delayed.set(x.subarray(0, SR - L), L);
    expect(L).toBe(31);
    expect(maxDiff([y!], [delayed])).toBe(0);
  });

  it('the wet path is aligned with the dry path (no comb filter when blending)', () => {
    // At low level tanh is linear: wet ≈ drive · x delayed by exactly latencyFrames.
    const x = sine(SR, 1000, 0.01, SR);
    const [y] = renderBlocks(sat({ drive: 0, mix: 1 }), [x], 128);
    let err = 0;
    for (let i = 1000; i < SR; i++) err = Math.max(err, Math.abs(y![i]! - softClip(x[i - 31]!)));
    console.log(`wet vs delayed dry at 1 kHz: residual ${db(err / 0.01).toFixed(1)} dB re signal`);
    expect(db(err / 0.01)).toBeLessThan(-40);
  });

  it('oversampling keeps aliases of a driven 15 kHz tone far below a naive waveshaper', () => {
    const x = sine(SR, 15000, 0.9, SR);
    const [y] = renderBlocks(sat({ drive: 12, mix: 1 }), [x], 128);
    const naive = x.map((v) => softClip(Math.pow(10, 12 / 20) * v)); // no oversampling: every harmonic folds
    const fund = toneAmplitude(y!, 15000, SR, SR / 2, SR / 2);
    const naiveFund = toneAmplitude(naive, 15000, SR, SR / 2, SR / 2);
    // 3rd harmonic (45 kHz) folds to 3 kHz, 5th (75 kHz) to 21 kHz, 7th (105 kHz) to 9 kHz.
    for (const alias of [3000, 21000, 9000]) {
      const a = db(toneAmplitude(y!, alias, SR, SR / 2, SR / 2) / fund);
      const n = db(toneAmplitude(naive, alias, SR, SR / 2, SR / 2) / naiveFund);
      console.log(`alias at ${alias} Hz: ${a.toFixed(1)} dB re fundamental (naive, no oversampling: ${n.toFixed(1)} dB)`);
      expect(a).toBeLessThan(-45);
      expect(a).toBeLessThan(n - 25);
    }
  });

  it('is block-size independent (128 vs 4096) across a ramped drive/mix change', () => {
    const x = [seededNoise(SR, 0.7, 5), seededNoise(SR, 0.7, 6)];
    const render = (block: number) => {
      const s = new SaturationProcessor(SR);
      s.setParams({ drive: 6, mix: 0.5 });
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      for (let i = 0; i < SR; i += block) {
        if (i === 20480) s.setParams({ drive: 18, mix: 0.8 });
        const n = Math.min(block, SR - i);
        s.process(x.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n);
      }
      return outs;
    };
    expect(maxDiff(render(128), render(4096))).toBe(0);
  });
});
