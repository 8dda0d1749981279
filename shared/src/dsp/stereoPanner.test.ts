import { describe, expect, it } from 'vitest';
import { DspParamError } from './DspParamError.ts';
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

  it('balance law on a stereo input: the near side untouched, the far side times the spec\'s gain, nothing folded', () => {
    const l = seededNoise(4800, 0.5, 61);
    const r = seededNoise(4800, 0.5, 62);
    for (const pan of [-1, -0.5, -0.2, 0, 0.3, 0.8, 1]) {
      const k = new StereoPannerProcessor(SR);
      k.setParams({ pan, law: 'balance' });
      const outL = new Float32Array(4800);
      const outR = new Float32Array(4800);
      k.process([l, r], [outL, outR], 4800);
      const p = Math.fround(pan);
      const far = Math.fround(p <= 0 ? Math.sin((p + 1) * (Math.PI / 2)) : Math.cos(p * (Math.PI / 2)));
      for (let i = 0; i < 4800; i++) {
        expect(outL[i]).toBe(p <= 0 ? l[i] : Math.fround(l[i]! * far));
        expect(outR[i]).toBe(p <= 0 ? Math.fround(r[i]! * far) : r[i]);
      }
      // The far side is exactly what the Web Audio law makes of it (there it is also folded in).
      const spec = new StereoPannerProcessor(SR);
      spec.setParams({ pan });
      const sl = new Float32Array(4800);
      const sr = new Float32Array(4800);
      spec.process([l, r], [sl, sr], 4800);
      expect(maxDiff([p <= 0 ? outR : outL], [p <= 0 ? sr : sl])).toBe(0);
    }
  });

  it('a mono input gets the spec\'s mono law under either law; an unknown law is refused', () => {
    const x = sine(4800, 500, 0.5, SR);
    const out = (law: 'balance' | 'webaudio') => {
      const k = new StereoPannerProcessor(SR);
      k.setParams({ pan: -0.3, law });
      const o = [new Float32Array(4800), new Float32Array(4800)];
      k.process([x], o, 4800);
      return o;
    };
    expect(maxDiff(out('balance'), out('webaudio'))).toBe(0);
    expect(() => new StereoPannerProcessor(SR).setParams({ law: 'linear' as never })).toThrow(DspParamError);
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
