import { deterministicExp } from './deterministicExp.ts';

/** 2^-40: far above deterministicExp's error against Math.exp (~3e-16), far below a float32 step (2^-24). */
const SLACK = 2 ** -40;

/**
 * 10^x the way Chromium computes it for biquads: `fdlibm::expf(x * ln10)`, a float32 exp of
 * a float32 argument, as `Math.fround(Math.exp(Math.fround(x * ln10)))` gives it (using the
 * double-precision pow leaves a -80 dB residual against Chromium on low, high-Q filters; this
 * nulls bit for bit, see test/nativeNodes.test.ts).
 *
 * Bit for bit that expression, but cheaper: an automated EQ gain needs one per frame, and
 * `Math.exp` is an out-of-line call in V8. The inlined deterministicExp is within ~1e-15 of
 * `Math.exp`, so when every value within 2^-40 of it rounds to the same float32, that float32
 * is also `Math.exp`'s; only near a float32 rounding boundary (about 1 in 2^15) is `Math.exp`
 * asked.
 */
export function pow10f(x: number): number {
  const y = Math.fround(x * 2.30258509299404568402);
  // Beyond ±80 the float32 result is near its subnormal or overflow range: Math.exp decides.
  if (y > -80 && y < 80) {
    const e = deterministicExp(y);
    const lo = Math.fround(e - e * SLACK);
    if (lo === Math.fround(e + e * SLACK)) return lo;
  }
  return Math.fround(Math.exp(y));
}
