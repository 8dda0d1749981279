import { describe, expect, it } from 'vitest';
import { gainExp } from './gainExp.ts';

const NEPER_PER_DB = Math.LN10 / 20;

/** Largest relative error of gainExp against Math.exp over `steps` points of [lo, hi]. */
function worstError(lo: number, hi: number, steps: number): number {
  let worst = 0;
  for (let i = 0; i <= steps; i++) {
    const y = lo + ((hi - lo) * i) / steps;
    worst = Math.max(worst, Math.abs(gainExp(y) / Math.exp(y) - 1));
  }
  return worst;
}

describe('gainExp: e^y for gains of 0 to -40 dB', () => {
  it('is within 3e-12 of Math.exp over 0 to -24 dB (the de-esser range) and 1e-9 down to -40 dB', () => {
    const within24 = worstError(-24 * NEPER_PER_DB, 0, 200000);
    const within40 = worstError(-40 * NEPER_PER_DB, 0, 200000);
    console.log(`gainExp relative error: ${within24.toExponential(2)} over 0..-24 dB, ${within40.toExponential(2)} over 0..-40 dB`);
    expect(within24).toBeLessThan(3e-12);
    expect(within40).toBeLessThan(1e-9);
  });

  it('is exactly 1 at 0, and a tiny reduction stays a tiny one (no cancellation to 1)', () => {
    expect(gainExp(0)).toBe(1);
    const y = -1e-9 * NEPER_PER_DB;
    expect(Math.abs((gainExp(y) - 1) / y - 1)).toBeLessThan(1e-5);
  });
});
