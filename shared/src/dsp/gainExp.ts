/**
 * e^y for y in [−4.6, 0] (a gain of 0 to −40 dB as y = −dB·ln10/20), in plain IEEE double
 * arithmetic with no table and no branch: the de-esser's per-sample gain. The bake's
 * WebAssembly twin (gainExp.as.ts, `gainExp2`) does the same operations on two lanes at
 * once, where {@link deterministicExp}'s table reads and range checks need scalar code and
 * cost half the de-esser's time.
 *
 * Method: e^y = (e^(y/8))^8; y/8 is exact and |y/8| <= 0.58, where the Taylor series to
 * the 10th power (Horner, fixed order) is off by less than 7e-11 (3e-13 within 24 dB,
 * the de-esser's range); three squarings follow. Relative error below 1e-9 over the
 * domain, 3e-12 within 24 dB (gainExp.test.ts measures it): a few 1e-11 dB.
 */
export function gainExp(y: number): number {
  const u = y * 0.125;
  const p = 1 + u * (1 + u * (C2 + u * (C3 + u * (C4 + u * (C5 + u * (C6 + u * (C7 + u * (C8 + u * (C9 + u * C10)))))))));
  const p2 = p * p;
  const p4 = p2 * p2;
  return p4 * p4;
}

// 1/k!, each one correctly rounded division (the twin's compile-time constants are the same).
const C2 = 1 / 2;
const C3 = 1 / 6;
const C4 = 1 / 24;
const C5 = 1 / 120;
const C6 = 1 / 720;
const C7 = 1 / 5040;
const C8 = 1 / 40320;
const C9 = 1 / 362880;
const C10 = 1 / 3628800;
