import { kaiserLowpass } from './kaiserLowpass.ts';
import { TRUE_PEAK_PHASES, TRUE_PEAK_TAPS } from './loudness/truePeakFilter.ts';

/** Taps per phase of the detector's long interpolator (a 4·32 + 1 tap Kaiser Nyquist filter). */
export const DETECTOR_TAPS_PER_PHASE = 32;
const KAISER_BETA = 8;
/** Base-rate delay of the long interpolator: half its 128-tap span at 4x. */
export const DETECTOR_DELAY = DETECTOR_TAPS_PER_PHASE / 2;
/** The BS.1770 filter (centre 5.875 base frames back) evaluated this many frames back covers the same interval. */
const BS1770_BACK = DETECTOR_DELAY - 6;
/** Base-rate samples per pass (bounds the work buffer). */
const CHUNK = 128;

/**
 * The long interpolator's taps for phases 1, 2 and 3 (phase 0 is the sample itself),
 * phase-major, ×4 for the zero-stuffing gain: tap k of phase p (1..3) at
 * [(p − 1)·32 + k] multiplies the k-th newest sample.
 */
export function detectorCoefficients(): Float64Array {
  const K = DETECTOR_TAPS_PER_PHASE;
  const h = kaiserLowpass(4 * K + 1, 0.125, KAISER_BETA);
  const c = new Float64Array(3 * K);
  for (let p = 1; p < 4; p++) for (let k = 0; k < K; k++) c[(p - 1) * K + k] = 4 * h[p + 4 * k]!;
  return c;
}

/**
 * Per-sample true-peak estimate of one channel for the limiter's gain computer: the
 * largest magnitude at the 4x points between sample s and s + 1, by two interpolators,
 *
 * - a long linear-phase one (Kaiser, 129 taps, cut-off at the base Nyquist), close to the
 *   ideal band-limited reconstruction up to about 22 kHz at 48 kHz: what independent meters
 *   such as ffmpeg's ebur128 (libswresample at 4x) read;
 * - the 48-tap filter of BS.1770-4 Annex 2, which our own meter uses (its passband ripple
 *   reads up to +0.17 dB above the ideal near 19 kHz, and less elsewhere).
 *
 * Limiting to the larger of the two keeps the output under the ceiling by both measures.
 * The value for the interval after sample s is produced when sample s + DETECTOR_DELAY
 * arrives. Each sum runs from the newest sample back; the result is NaN if any sum is.
 */
export class TruePeakDetector {
  private readonly coef = detectorCoefficients();
  private readonly bs = Float64Array.from(TRUE_PEAK_PHASES.flat());
  /** [31 history samples, oldest first][the chunk]. */
  private readonly lin = new Float64Array(DETECTOR_TAPS_PER_PHASE - 1 + CHUNK);

  reset(): void {
    this.lin.fill(0);
  }

  /**
   * out[j] = the estimate produced by input[from + j], for j < n. Two samples are summed
   * side by side (independent sums sharing the tap loads, which the CPU overlaps), each sum
   * in the same order as a one-at-a-time loop, so the values do not depend on it.
   */
  peaks(input: Float32Array, from: number, n: number, out: Float64Array): void {
    const K = DETECTOR_TAPS_PER_PHASE;
    const T = TRUE_PEAK_TAPS;
    const H = K - 1;
    const lin = this.lin;
    const c = this.coef;
    const t = this.bs;
    for (let off = 0; off < n; off += CHUNK) {
      const m = Math.min(CHUNK, n - off);
      for (let j = 0; j < m; j++) lin[H + j] = input[from + off + j]!;
      let j = 0;
      for (; j + 1 < m; j += 2) {
        const b = H + j;
        let a1 = 0, a2 = 0, a3 = 0, d1 = 0, d2 = 0, d3 = 0;
        for (let k = 0; k < K; k++) {
          const x = lin[b - k]!;
          const y = lin[b + 1 - k]!;
          const c1 = c[k]!;
          const c2 = c[K + k]!;
          const c3 = c[2 * K + k]!;
          a1 += c1 * x;
          a2 += c2 * x;
          a3 += c3 * x;
          d1 += c1 * y;
          d2 += c2 * y;
          d3 += c3 * y;
        }
        const e = b - BS1770_BACK;
        let q0 = 0, q1 = 0, q2 = 0, q3 = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        for (let k = 0; k < T; k++) {
          const x = lin[e - k]!;
          const y = lin[e + 1 - k]!;
          const u0 = t[k]!;
          const u1 = t[T + k]!;
          const u2 = t[2 * T + k]!;
          const u3 = t[3 * T + k]!;
          q0 += u0 * x;
          q1 += u1 * x;
          q2 += u2 * x;
          q3 += u3 * x;
          r0 += u0 * y;
          r1 += u1 * y;
          r2 += u2 * y;
          r3 += u3 * y;
        }
        out[off + j] = largestMagnitude(a1, a2, a3, q0, q1, q2, q3);
        out[off + j + 1] = largestMagnitude(d1, d2, d3, r0, r1, r2, r3);
      }
      for (; j < m; j++) {
        const b = H + j;
        let a1 = 0, a2 = 0, a3 = 0;
        for (let k = 0; k < K; k++) {
          const x = lin[b - k]!;
          a1 += c[k]! * x;
          a2 += c[K + k]! * x;
          a3 += c[2 * K + k]! * x;
        }
        const e = b - BS1770_BACK;
        let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        for (let k = 0; k < T; k++) {
          const x = lin[e - k]!;
          q0 += t[k]! * x;
          q1 += t[T + k]! * x;
          q2 += t[2 * T + k]! * x;
          q3 += t[3 * T + k]! * x;
        }
        out[off + j] = largestMagnitude(a1, a2, a3, q0, q1, q2, q3);
      }
      lin.copyWithin(0, m, m + H);
    }
  }
}

/**
 * max |v| over the seven sums, NaN if any is NaN: exactly Math.max's rule (which V8
 * compiles without branches; a branch on filtered audio mispredicts half the time).
 */
function largestMagnitude(a1: number, a2: number, a3: number, q0: number, q1: number, q2: number, q3: number): number {
  return Math.max(Math.abs(a1), Math.abs(a2), Math.abs(a3), Math.abs(q0), Math.abs(q1), Math.abs(q2), Math.abs(q3));
}
