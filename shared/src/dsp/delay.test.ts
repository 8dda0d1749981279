import { describe, expect, it } from 'vitest';
import { DelayProcessor, type DelayParams } from './delay.ts';
import { seededNoise } from './testSignals.testkit.ts';
import { maxDiff, renderBlocks } from './testSignals.testkit.ts';

const SR = 48000;

function delay(p: Partial<DelayParams>): () => DelayProcessor {
  return () => {
    const d = new DelayProcessor(SR);
    d.setParams(p);
    return d;
  };
}

describe('DelayProcessor', () => {
  it('echoes at the set time, each echo feedback × the previous (DC content)', () => {
    const time = 0.25;
    const feedback = 0.6;
    const T = time * SR;
    const x = new Float32Array(SR * 2);
    x[0] = 1;
    const [y] = renderBlocks(delay({ time, feedback, damping: 3000 }), [x], 128);
    // Nothing before the first echo, which is the unfiltered impulse at exactly T.
    for (let i = 0; i < T; i++) expect(y![i]).toBe(0);
    expect(y![T]).toBe(1);
    // Sum of each echo's samples (the damping low-pass has unity DC gain).
    const echo = (k: number) => {
      let s = 0;
      for (let i = k * T; i < (k + 1) * T; i++) s += y![i]!;
      return s;
    };
    for (let k = 2; k <= 5; k++) {
      const ratio = echo(k) / echo(k - 1);
      console.log(`echo ${k}/${k - 1} ratio ${ratio.toFixed(5)} (feedback ${feedback})`);
      expect(ratio).toBeCloseTo(feedback, 3);
    }
  });

  it('damping darkens later echoes', () => {
    const x = new Float32Array(SR);
    x[0] = 1;
    const [y] = renderBlocks(delay({ time: 0.1, feedback: 0.8, damping: 1000 }), [x], 128);
    const peakOfEcho = (k: number) => {
      let p = 0;
      for (let i = k * 4800; i < (k + 1) * 4800; i++) p = Math.max(p, Math.abs(y![i]!));
      return p;
    };
    // Same DC sum ratio, but the peak drops much faster because the echo is smeared.
    expect(peakOfEcho(2)).toBeLessThan(0.8 * 0.5);
  });

  it('is block-size independent (128 vs 4096) through a ramped time change', () => {
    const x = [seededNoise(SR, 0.5, 51), seededNoise(SR, 0.5, 52)];
    const render = (block: number) => {
      const d = new DelayProcessor(SR);
      d.setParams({ time: 0.123, feedback: 0.5, damping: 5000 });
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      for (let i = 0; i < SR; i += block) {
        if (i === 24576) d.setParams({ time: 0.2001, feedback: 0.7 });
        const n = Math.min(block, SR - i);
        d.process(x.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n);
      }
      return outs;
    };
    expect(maxDiff(render(128), render(4096))).toBe(0);
  });
});
