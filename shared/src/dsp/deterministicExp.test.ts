import { describe, expect, it } from 'vitest';
import { deterministicExp } from './deterministicExp.ts';

/** Max relative error of deterministicExp against Math.exp over `n` points in [lo, hi], jittered by a seeded LCG. */
function maxRelativeError(lo: number, hi: number, n: number, seed: number): { err: number; at: number } {
  let s = seed >>> 0;
  let err = 0;
  let at = lo;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const y = lo + ((i + s / 4294967296) / n) * (hi - lo);
    const want = Math.exp(y);
    const e = Math.abs(deterministicExp(y) - want) / want;
    if (e > err) {
      err = e;
      at = y;
    }
  }
  return { err, at };
}

const NEPER_PER_DB = Math.LN10 / 20;

describe('deterministicExp', () => {
  it('matches Math.exp within 1e-15 relative for gains of −200..+40 dB (2·10⁶ points)', () => {
    const { err, at } = maxRelativeError(-200 * NEPER_PER_DB, 40 * NEPER_PER_DB, 2_000_000, 1);
    console.log(`deterministicExp max relative error on gains -200..+40 dB: ${err.toExponential(2)} (at y = ${at})`);
    expect(err).toBeLessThan(1e-15);
  });

  it('matches Math.exp over the whole normal range; subnormal results within their own precision', () => {
    const normal = maxRelativeError(-708, 709.78, 500_000, 2).err;
    const tiny = maxRelativeError(-1e-6, 1e-6, 200_000, 3).err;
    let subnormal = 0;
    for (let i = 0; i < 100_000; i++) {
      const y = -744 + (i / 100_000) * 36; // results 1e-323..1e-308
      const want = Math.exp(y);
      // Absolute error in units of the smallest subnormal: a subnormal has fewer bits, and
      // this range squares e^(y/2), so its result is rounded twice.
      subnormal = Math.max(subnormal, Math.abs(deterministicExp(y) - want) / Number.MIN_VALUE);
    }
    console.log(`relative error: -708..709.78 ${normal.toExponential(2)}, ±1e-6 ${tiny.toExponential(2)}; subnormal results within ${subnormal} × 2^-1074`);
    expect(normal).toBeLessThan(1e-15);
    expect(tiny).toBeLessThan(1e-15);
    expect(subnormal).toBeLessThanOrEqual(4);
  });

  it('special values as Math.exp: NaN → NaN, ±∞ → ∞/0, overflow → ∞, underflow → 0, exact at 0', () => {
    expect(deterministicExp(NaN)).toBeNaN();
    expect(deterministicExp(Infinity)).toBe(Infinity);
    expect(deterministicExp(-Infinity)).toBe(0);
    expect(deterministicExp(710)).toBe(Infinity);
    expect(deterministicExp(-746)).toBe(0);
    expect(deterministicExp(0)).toBe(1);
    expect(deterministicExp(-0)).toBe(1);
  });
});
