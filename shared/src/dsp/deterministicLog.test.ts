import { describe, expect, it } from 'vitest';
import { deterministicLog } from './deterministicLog.ts';

/** Max relative error of deterministicLog against Math.log over `n` points log-spaced in [lo, hi], jittered by a seeded LCG. */
function maxRelativeError(lo: number, hi: number, n: number, seed: number): { err: number; at: number } {
  const span = Math.log(hi) - Math.log(lo);
  let s = seed >>> 0;
  let err = 0;
  let at = lo;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const x = lo * Math.exp(((i + s / 4294967296) / n) * span);
    const want = Math.log(x);
    const e = want === 0 ? Math.abs(deterministicLog(x)) : Math.abs(deterministicLog(x) - want) / Math.abs(want);
    if (e > err) {
      err = e;
      at = x;
    }
  }
  return { err, at };
}

describe('deterministicLog', () => {
  it('matches Math.log within 1e-15 relative over the compressor levels 1e-30..1e3 (2·10⁶ points)', () => {
    const { err, at } = maxRelativeError(1e-30, 1e3, 2_000_000, 1);
    console.log(`deterministicLog max relative error on [1e-30, 1e3]: ${err.toExponential(2)} (at ${at})`);
    expect(err).toBeLessThan(1e-15);
  });

  it('stays relative near 1 and across the whole positive double range, subnormals included', () => {
    const near1 = maxRelativeError(1 - 1e-2, 1 + 1e-2, 500_000, 2).err;
    let nearer = 0;
    for (let i = 1; i <= 10000; i++) {
      for (const x of [1 + i * 2 ** -52, 1 - i * 2 ** -53]) nearer = Math.max(nearer, Math.abs(deterministicLog(x) - Math.log(x)) / Math.abs(Math.log(x)));
    }
    const full = maxRelativeError(1e-307, 1e308, 500_000, 3).err;
    const subnormal = maxRelativeError(5e-324, 2.2e-308, 200_000, 4).err;
    console.log(`relative error: 1±1e-2 ${near1.toExponential(2)}, 1±1e4 ulp ${nearer.toExponential(2)}, 1e-307..1e308 ${full.toExponential(2)}, subnormals ${subnormal.toExponential(2)}`);
    expect(near1).toBeLessThan(1e-15);
    expect(nearer).toBeLessThan(1e-15);
    expect(full).toBeLessThan(1e-15);
    expect(subnormal).toBeLessThan(1e-15);
  });

  it('special values as Math.log: 0 → −∞, ∞ → ∞, negatives and NaN → NaN, exact at 1', () => {
    expect(deterministicLog(0)).toBe(-Infinity);
    expect(deterministicLog(-0)).toBe(-Infinity);
    expect(deterministicLog(Infinity)).toBe(Infinity);
    expect(deterministicLog(-1)).toBeNaN();
    expect(deterministicLog(-Infinity)).toBeNaN();
    expect(deterministicLog(NaN)).toBeNaN();
    expect(deterministicLog(1)).toBe(0);
    expect(deterministicLog(Number.MIN_VALUE)).toBeCloseTo(-744.4400719213812, 12);
    expect(deterministicLog(Number.MAX_VALUE)).toBeCloseTo(709.782712893384, 12);
  });
});
