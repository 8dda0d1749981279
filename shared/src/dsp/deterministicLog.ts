/**
 * Natural logarithm in plain IEEE double arithmetic, for per-sample use in kernels that
 * must give the same samples in every JS engine (the browser's AudioWorklet and the
 * server bake). `Math.log` is "implementation-approximated" by the spec (engines may
 * differ in the last bit) and in V8 it is an out-of-line C call, the main cost of the
 * compressor. This one is a table lookup and a short polynomial: every step is a
 * correctly rounded +, −, × or ÷ (JS never contracts them into FMAs), a typed-array read of
 * the exponent bits, or integer shifts, all in a fixed order, so the result is the same
 * double on every engine and CPU. The tables are computed at load time by the same kind
 * of arithmetic (no `Math.log`/`Math.exp`), so they are identical everywhere too.
 *
 * Method: x = 2^k · z with z in [0.69, 1.38), z in one of 128 sub-intervals with centre c
 * (a short binary number, c = 1 exactly for the interval around 1);
 * ln x = k·ln 2 + ln c + ln(1 + r) with r = (z − c)·(1/c), |r| < 0.0039 (z − c is exact,
 * Sterbenz), and ln(1 + r) by its Taylor series to r⁶. Max relative error vs `Math.log`
 * is a few 1e-16 (deterministicLog.test.ts measures it); near x = 1 it stays relative
 * because that interval has c = 1, ln c = 0, r = x − 1 exactly.
 *
 * Subnormals are scaled into the normal range first; 0 gives −Infinity, +Infinity gives
 * +Infinity, negatives and NaN give NaN (as `Math.log`).
 */
export function deterministicLog(x: number): number {
  BITS[0] = x;
  const hi = WORDS[HI]!;
  // Positive normal numbers only on the fast path (biased exponent 1..2046, sign 0: exactly
  // MIN_NORMAL <= x <= MAX_DOUBLE); 0, subnormals, ∞, NaN and negatives are rare.
  if (((hi >>> 20) - 1) >>> 0 >= 2046) return +logSpecial(x);
  const tmp = hi - OFF;
  const k = tmp >> 20;
  const i = (tmp >> 13) & (N - 1);
  const z = x * POW2_NEG_K[k + K_BIAS]!;
  const r = (z - CENTER[i]!) * INV_CENTER[i]!;
  const r2 = r * r;
  const p = r + r2 * (-0.5 + r * THIRD + r2 * (-0.25 + r * FIFTH + r2 * -SIXTH));
  return k * Math.LN2 + LOG_CENTER[i]! + p;
}

const N = 128;
/** High word of the lower end of interval 0; interval (1.0 - OFF) >> 13 is centred on 1. */
const OFF = 0x3fe61000;
/** k ranges over [-1022, 1024] for positive normal doubles. */
const K_BIAS = 1022;
const MIN_NORMAL = 2.2250738585072014e-308;
const MAX_DOUBLE = 1.7976931348623157e308;
const TWO_54 = 18014398509481984;
const THIRD = 1 / 3;
const FIFTH = 1 / 5;
const SIXTH = 1 / 6;

const BITS = new Float64Array(1);
const WORDS = new Int32Array(BITS.buffer);
/** Index of the high (sign, exponent, top mantissa) word of a double in WORDS. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** 2^-k for k in [-1022, 1024] (exact powers of two; 2^-1023, 2^-1024 are subnormal but exact). */
const POW2_NEG_K = new Float64Array(2047);
/** Per interval: centre c, 1/c, ln c. */
const CENTER = new Float64Array(N);
const INV_CENTER = new Float64Array(N);
const LOG_CENTER = new Float64Array(N);

{
  let p = 1;
  for (let k = 0; k <= 1022; k++, p *= 2) POW2_NEG_K[K_BIAS - k] = p;
  p = 1;
  for (let k = 0; k <= 1024; k++, p *= 0.5) POW2_NEG_K[K_BIAS + k] = p;
  // Interval i holds the doubles whose high word minus OFF lies in [i, i + 1) · 2^13, with
  // k = 0 (z in [0.69, 1.38)). Its centre is the double with high word OFF + (2i + 1)·2^12
  // and a zero low word: at most 21 significant bits, and exactly 1.0 for the middle one.
  for (let i = 0; i < N; i++) {
    WORDS[HI] = OFF + (2 * i + 1) * 0x1000;
    WORDS[1 - HI] = 0;
    const c = BITS[0]!;
    CENTER[i] = c;
    INV_CENTER[i] = 1 / c;
    LOG_CENTER[i] = logBySeries(c);
  }
}

/** ln c for c in [0.69, 1.38] as 2·atanh(s), s = (c − 1)/(c + 1), |s| < 0.16: table setup only. */
function logBySeries(c: number): number {
  if (c === 1) return 0;
  const s = (c - 1) / (c + 1);
  const s2 = s * s;
  // Σ s^(2n+1)/(2n+1) for n < 16: the next term is below 1e-26.
  let sum = 0;
  for (let n = 15; n >= 0; n--) sum = sum * s2 + 1 / (2 * n + 1);
  return 2 * s * sum;
}

function logSpecial(x: number): number {
  if (x > 0 && x < MIN_NORMAL) return deterministicLog(x * TWO_54) - 54 * Math.LN2;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  return NaN;
}

/**
 * The tables behind {@link deterministicLog}, for a transcription of it into another
 * language (the bake's WebAssembly strip chains) that must give the same doubles.
 */
export const DETERMINISTIC_LOG_TABLES: Readonly<{ pow2NegK: Float64Array; center: Float64Array; invCenter: Float64Array; logCenter: Float64Array }> = {
  pow2NegK: POW2_NEG_K,
  center: CENTER,
  invCenter: INV_CENTER,
  logCenter: LOG_CENTER,
};
