/**
 * e^y in plain IEEE double arithmetic: the partner of {@link deterministicLog} for
 * per-sample use in kernels that must give the same samples in every JS engine (the
 * browser's AudioWorklet and the server bake). `Math.exp` is "implementation-approximated"
 * by the spec and an out-of-line C call in V8; this is a few correctly rounded +, −, ×
 * (never contracted into FMAs in JS) and table reads in a fixed order, so the result is
 * the same double on every engine and CPU. The tables are built at load time by the same
 * kind of arithmetic (no `Math.exp`/`Math.pow`).
 *
 * Method: y = (64·m + j)·ln2/64 + r with |r| <= ln2/128, m = floor(q/64), j = q mod 64 for
 * the nearest integer q; e^y = 2^m · 2^(j/64) · e^r, e^r by its Taylor series to r⁵
 * (truncation < 4e-17). r is computed with ln2/64 split in two parts, the first product
 * exact, so r keeps full precision for |y| up to 708. Max relative error vs `Math.exp` is
 * about 1e-16..3e-16 (deterministicExp.test.ts measures it).
 *
 * |y| > 708 takes a slower exact-order path (the square of e^(y/2)); overflow gives
 * +Infinity, underflow 0, NaN gives NaN (as `Math.exp`).
 */
export function deterministicExp(y: number): number {
  // |y| <= 708 (NaN fails too): one comparison.
  if (!(Math.abs(y) <= 708)) return +expSpecial(y);
  // Round y·64/ln2 to the nearest integer (ties to even) by adding and removing 1.5·2^52.
  const qd = y * INV_LN2_64 + SHIFTER - SHIFTER;
  const r = y - qd * LN2_64_HI - qd * LN2_64_LO;
  const q = qd | 0;
  const s = POW2_INT[(q >> 6) + M_BIAS]! * POW2_FRAC[q & 63]!;
  const r2 = r * r;
  const e = r + r2 * (0.5 + r * SIXTH + r2 * (C24 + r * C120));
  return s + s * e;
}

const SHIFTER = 6755399441055744; // 1.5·2^52
const INV_LN2_64 = 64 / Math.LN2;
/** ln2/64 = LN2_64_HI + LN2_64_LO; HI has 32 significant bits, so q·HI is exact for |q| < 2^21. */
const LN2_64_HI = 6.93147180369123816490e-1 / 64;
const LN2_64_LO = 1.90821492927058770002e-10 / 64;
const SIXTH = 1 / 6;
const C24 = 1 / 24;
const C120 = 1 / 120;
/** m = floor(q/64) ranges over [-1022, 1021] for |y| <= 708. */
const M_BIAS = 1022;
const LN_MAX_DOUBLE = 709.782712893384; // above: e^y overflows
const LN_HALF_MIN_SUBNORMAL = -745.1332191019412; // below: e^y rounds to 0

/** 2^m for m in [-1022, 1023] (exact). */
const POW2_INT = new Float64Array(2046);
/** 2^(j/64) for j in [0, 64). */
const POW2_FRAC = new Float64Array(64);

{
  let p = 1;
  for (let m = 0; m <= 1023; m++, p *= 2) POW2_INT[M_BIAS + m] = p;
  p = 1;
  for (let m = 0; m <= 1022; m++, p *= 0.5) POW2_INT[M_BIAS - m] = p;
  for (let j = 0; j < 64; j++) POW2_FRAC[j] = expBySeries((j * Math.LN2) / 64);
}

/** e^a for a in [0, ln2) by its Taylor series (terms to a^24, the next below 1e-25): table setup only. */
function expBySeries(a: number): number {
  let sum = 1;
  for (let n = 24; n >= 1; n--) sum = 1 + (sum * a) / n;
  return sum;
}

function expSpecial(y: number): number {
  if (y !== y) return NaN;
  if (y > LN_MAX_DOUBLE) return Infinity;
  if (y < LN_HALF_MIN_SUBNORMAL) return 0;
  // 708 < |y| <= 745: e^y = (e^(y/2))², y/2 exact and inside the fast range.
  const h = deterministicExp(y * 0.5);
  return h * h;
}

/**
 * The tables behind {@link deterministicExp}, for a transcription of it into another
 * language (the bake's WebAssembly strip chains) that must give the same doubles.
 */
export const DETERMINISTIC_EXP_TABLES: Readonly<{ pow2Int: Float64Array; pow2Frac: Float64Array }> = {
  pow2Int: POW2_INT,
  pow2Frac: POW2_FRAC,
};
