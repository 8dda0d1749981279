import { describe, expect, it } from 'vitest';
import { SampleArena } from './SampleArena.ts';

/** Values that stress float32 rounding: mixed magnitudes, signs, subnormals, exact ties. */
function fill(a: Float32Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < a.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const m = (s / 2 ** 32) * 2 - 1;
    a[i] = i % 17 === 0 ? m * 1e-40 : i % 5 === 0 ? m * 3e5 : m;
  }
}

describe('SampleArena', () => {
  it('SIMD sums are the float32 sums of the scalar loop, bit for bit, at any length and offset', () => {
    const arena = new SampleArena(1 << 16);
    const a = arena.alloc(5000);
    const b = arena.alloc(5000);
    const out = arena.alloc(5000);
    expect(out.buffer).toBe(arena.buffer);
    fill(a, 1);
    fill(b, 2);
    for (const [offset, frames] of [[0, 4096], [1, 1000], [3, 7], [2, 4999 - 2], [0, 3], [0, 0]] as const) {
      const x = a.subarray(offset);
      const y = b.subarray(offset);
      const z = out.subarray(offset);
      z.fill(123);
      arena.add(z, x, y, frames);
      for (let i = 0; i < frames; i++) expect(Object.is(z[i], Math.fround(x[i]! + y[i]!))).toBe(true);
      if (frames < z.length) expect(z[frames]).toBe(123); // nothing past `frames` written
    }
  });

  it('adds in place (out === a), as a bus accumulates', () => {
    const arena = new SampleArena(1 << 14);
    const acc = arena.alloc(1001);
    const s = arena.alloc(1001);
    fill(acc, 3);
    fill(s, 4);
    const expected = Float32Array.from(acc, (v, i) => v + s[i]!);
    arena.add(acc, acc, s, 1001);
    expect(acc).toEqual(expected);
  });

  it('accumulates any number of sources in order, bit for bit, four per SIMD pass', () => {
    const arena = new SampleArena(1 << 18);
    const frames = 1003; // a tail the SIMD lanes do not cover
    const srcs = Array.from({ length: 11 }, (_, k) => {
      const s = k === 6 ? new Float32Array(frames) : arena.alloc(frames); // one foreign buffer mid-run
      fill(s, 10 + k);
      return s;
    });
    for (const count of [0, 1, 3, 4, 5, 8, 11]) {
      const start = arena.alloc(frames);
      fill(start, 99);
      const expected = Float32Array.from(start);
      for (const s of srcs.slice(0, count)) for (let i = 0; i < frames; i++) expected[i] = expected[i]! + s[i]!;
      arena.accumulate(start, srcs.slice(0, count), frames);
      for (let i = 0; i < frames; i++) expect(Object.is(start[i], expected[i])).toBe(true);
    }
  });

  it('falls back to plain arrays (same sums) when full or given foreign buffers', () => {
    const arena = new SampleArena(100);
    const inside = arena.alloc(64);
    const overflow = arena.alloc(1 << 15); // beyond the one 64 KiB page 100 floats round up to
    expect(inside.buffer).toBe(arena.buffer);
    expect(overflow.buffer).not.toBe(arena.buffer);
    // What another thread must write into never silently lands outside the shared memory.
    expect(() => arena.allocShared(1 << 15)).toThrow(/full/);
    const plain = new Float32Array(64);
    fill(inside, 5);
    fill(plain, 6);
    const out = new Float32Array(64);
    arena.add(out, inside, plain, 64);
    for (let i = 0; i < 64; i++) expect(out[i]).toBe(Math.fround(inside[i]! + plain[i]!));
  });
});
