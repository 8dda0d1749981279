import { describe, expect, it } from 'vitest';
import { StereoPannerProcessor } from './stereoPanner.ts';
import { seededNoise } from './testSignals.testkit.ts';
import { maxDiff, sine } from './testSignals.testkit.ts';

const SR = 48000;

describe('StereoPannerProcessor', () => {
  it('is equal-power for a mono source: L² + R² = x² at every pan', () => {
    const x = sine(4800, 500, 0.5, SR);
    for (const pan of [-1, -0.5, 0, 0.3, 1]) {
      const k = new StereoPannerProcessor(SR);
      k.setParams({ pan });
      const l = new Float32Array(4800);
      const r = new Float32Array(4800);
      k.process([x], [l, r], 4800);
      for (let i = 0; i < 4800; i += 97) expect(l[i]! ** 2 + r[i]! ** 2).toBeCloseTo(x[i]! ** 2, 6);
      if (pan === 0) expect(l[100]).toBeCloseTo(x[100]! * Math.SQRT1_2, 6);
    }
  });

  it('is block-size independent (128 vs 4096) through a pan ramp, stereo in place', () => {
    const x = [seededNoise(SR, 0.5, 71), seededNoise(SR, 0.5, 72)];
    const render = (block: number) => {
      const k = new StereoPannerProcessor(SR);
      k.setParams({ pan: -0.4 });
      const outs = x.map((c) => c.slice());
      for (let i = 0; i < SR; i += block) {
        if (i === 4096 * 5) k.setParams({ pan: 0.7 });
        const n = Math.min(block, SR - i);
        const io = outs.map((c) => c.subarray(i, i + n));
        k.process(io, io, n);
      }
      return outs;
    };
    expect(maxDiff(render(128), render(4096))).toBe(0);
  });
});
