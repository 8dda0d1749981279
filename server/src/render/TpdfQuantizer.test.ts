import { describe, expect, it } from 'vitest';
import { TpdfQuantizer } from './TpdfQuantizer.ts';

describe('TpdfQuantizer', () => {
  const frames = 10000;
  const l = Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin(i * 0.003));
  const r = Float32Array.from({ length: frames }, (_, i) => -0.25 * Math.cos(i * 0.007));

  const run = (block: number): Int32Array => {
    const q = new TpdfQuantizer(16);
    const out = new Int32Array(frames * 2);
    const scratch = new Int32Array(block * 2);
    for (let at = 0; at < frames; at += block) {
      const n = Math.min(block, frames - at);
      q.quantize([l.subarray(at, at + n), r.subarray(at, at + n)], n, scratch);
      out.set(scratch.subarray(0, n * 2), at * 2);
    }
    return out;
  };

  it('gives the same integers whatever the block size (same file, same hash)', () => {
    const ref = run(frames);
    for (const block of [1, 128, 1000, 4097]) expect(run(block)).toEqual(ref);
  });

  it('adds triangular noise of +-1 LSB: error mean ~0, rms 0.5 LSB, never beyond 1.5 LSB', () => {
    const out = run(frames);
    let sum = 0;
    let sq = 0;
    let max = 0;
    for (let i = 0; i < frames; i++) {
      const e = out[2 * i]! - l[i]! * 32768;
      sum += e;
      sq += e * e;
      max = Math.max(max, Math.abs(e));
    }
    expect(Math.abs(sum / frames)).toBeLessThan(0.02);
    expect(Math.sqrt(sq / frames)).toBeCloseTo(0.5, 1);
    expect(max).toBeLessThan(1.5);
  });

  it('clips at full scale instead of wrapping', () => {
    const q = new TpdfQuantizer(16);
    const out = new Int32Array(4);
    q.quantize([Float32Array.of(1.5, -2)], 2, out);
    expect([...out.subarray(0, 2)]).toEqual([32767, -32768]);
  });
});
