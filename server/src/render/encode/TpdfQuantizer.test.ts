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

  it('mono and stereo on the master-bus module give exactly the reference loop\'s integers, any block, 16 and 24 bit, clipping, NaN and infinity included', () => {
    const n = 20000;
    const wild = Float32Array.from({ length: n }, (_, i) => 1.2 * Math.sin(i * 0.0123) + (i % 97 === 0 ? 0.5 : 0));
    wild[100] = NaN;
    wild[200] = Infinity;
    wild[300] = -Infinity;
    wild[400] = -0;
    // Values half an LSB from a step, where rounding decides.
    for (let i = 500; i < 600; i++) wild[i] = (Math.floor(i / 3) + 0.5) / 32768;
    let compared = 0;
    for (const bits of [16, 24]) {
      for (const chans of [[wild], [wild, Float32Array.from({ length: n }, (_, i) => l[i % frames]!)]]) {
        for (const block of [1, 333, 8192, n]) {
          const fast = new TpdfQuantizer(bits, 12345);
          const ref = new TpdfQuantizer(bits, 12345);
          const a = new Int32Array(block * chans.length);
          const b = new Int32Array(block * chans.length);
          for (let at = 0; at < n; at += block) {
            const m = Math.min(block, n - at);
            const part = chans.map((c) => c.subarray(at, at + m));
            fast.quantize(part, m, a);
            ref.quantizeScalar(part, m, b);
            expect(a.subarray(0, m * chans.length)).toEqual(b.subarray(0, m * chans.length));
            compared += m * chans.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(200000);
  });

  it('clips at full scale instead of wrapping', () => {
    const q = new TpdfQuantizer(16);
    const out = new Int32Array(4);
    q.quantize([Float32Array.of(1.5, -2)], 2, out);
    expect([...out.subarray(0, 2)]).toEqual([32767, -32768]);
  });
});
