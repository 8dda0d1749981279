import { kaiserLowpass } from './kaiserLowpass.ts';

/** Base-rate samples per pass of `upPeaks` (bounds its work buffer). */
const UP_CHUNK = 128;

/**
 * One channel of 4x oversampling with a linear-phase polyphase FIR of `taps` = 4k + 1 taps
 * (Kaiser, cutoff at the base-rate Nyquist). `up` turns one base-rate sample into four
 * high-rate samples; `down` filters four high-rate samples and returns one base-rate
 * sample. Round trip (up then down) delays by (taps − 1)/4 base samples exactly, which is
 * why taps = 4k + 1. State is plain typed arrays, nothing is allocated per sample.
 */
export class Oversampler4x {
  /** Base-rate delay of `up` followed by `down`. */
  readonly roundTripLatency: number;
  /** Base-rate delay of `up` alone (its high-rate delay is 4× this). */
  readonly upLatency: number;
  private readonly taps: number;
  private readonly perPhase: number;
  /** Polyphase up coefficients, phase-major, ×4 for zero-stuffing gain. */
  private readonly upCoef: Float64Array;
  private readonly downCoef: Float64Array;
  /** Doubled ring buffers so a window is always contiguous. */
  private readonly xHist: Float64Array;
  private xPos = 0;
  private readonly wHist: Float64Array;
  private wPos = 0;
  /** Two slots for branch-free selection in `peakOf`. */
  private readonly sel = new Float64Array(2);
  /** Contiguous history + chunk for `upPeaks`. */
  private readonly lin: Float64Array;

  constructor(taps: number, beta: number, cutoff = 0.125) {
    if ((taps - 1) % 4 !== 0) throw new Error('Oversampler4x taps must be 4k + 1');
    this.taps = taps;
    this.roundTripLatency = (taps - 1) / 4;
    this.upLatency = (taps - 1) / 8;
    const h = kaiserLowpass(taps, cutoff, beta);
    this.perPhase = Math.ceil(taps / 4);
    this.upCoef = new Float64Array(4 * this.perPhase);
    for (let p = 0; p < 4; p++) for (let k = 0; k < this.perPhase; k++) this.upCoef[p * this.perPhase + k] = p + 4 * k < taps ? 4 * h[p + 4 * k]! : 0;
    this.downCoef = h;
    this.xHist = new Float64Array(2 * this.perPhase);
    this.wHist = new Float64Array(2 * taps);
    this.lin = new Float64Array(this.perPhase - 1 + UP_CHUNK);
  }

  /**
   * A copy of the polyphase up taps, phase-major: tap k of phase p at [p · tapsPerPhase + k],
   * ×4 for the zero-stuffing gain. Phase p's output is the sum over k of tap k times the
   * k-th newest input, accumulated from k = 0.
   */
  get upCoefficients(): Float64Array {
    return this.upCoef.slice();
  }

  /** Taps per polyphase branch: ceil(taps / 4). */
  get tapsPerPhase(): number {
    return this.perPhase;
  }

  reset(): void {
    this.xHist.fill(0);
    this.wHist.fill(0);
    this.xPos = 0;
    this.wPos = 0;
  }

  /** Push one base-rate sample; writes four high-rate samples to out[o..o+3]. */
  up(x: number, out: Float64Array, o: number): void {
    const K = this.perPhase;
    const hist = this.xHist;
    let pos = this.xPos - 1;
    if (pos < 0) pos += K;
    hist[pos] = x;
    hist[pos + K] = x;
    this.xPos = pos;
    const c = this.upCoef;
    for (let p = 0; p < 4; p++) {
      let acc = 0;
      const base = p * K;
      for (let k = 0; k < K; k++) acc += c[base + k]! * hist[pos + k]!;
      out[o + p] = acc;
    }
  }

  /**
   * Push one base-rate sample and return the largest magnitude of the four high-rate
   * samples `up` would write: exactly `Math.max(|y0|, |y1|, |y2|, |y3|)` (NaN if any is
   * NaN), each y summed in the same order as `up`. The four phases are accumulated side by
   * side and the maximum is picked by table index rather than by branches, which makes
   * this several times cheaper than `up` plus `Math.max` on noise-like audio.
   */
  upPeak(x: number): number {
    const K = this.perPhase;
    const hist = this.xHist;
    let pos = this.xPos - 1;
    if (pos < 0) pos += K;
    hist[pos] = x;
    hist[pos + K] = x;
    this.xPos = pos;
    const c = this.upCoef;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let k = 0; k < K; k++) {
      const h = hist[pos + k]!;
      a0 += c[k]! * h;
      a1 += c[K + k]! * h;
      a2 += c[2 * K + k]! * h;
      a3 += c[3 * K + k]! * h;
    }
    return this.peakOf(a0, a1, a2, a3);
  }

  /**
   * `upPeak` for `n` samples input[from..from+n) at once: out[j] = upPeak(input[from + j]),
   * the same values and the same state afterwards. Working on a contiguous copy lets two
   * samples' eight independent sums run side by side, which the CPU overlaps.
   */
  upPeaks(input: Float32Array, from: number, n: number, out: Float64Array): void {
    const K = this.perPhase;
    const c = this.upCoef;
    const hist = this.xHist;
    const lin = this.lin;
    // lin = [K - 1 history samples, oldest first][the chunk]: lin[K - 1 + j] = sample j.
    for (let k = 0; k < K - 1; k++) lin[K - 2 - k] = hist[this.xPos + k]!;
    for (let off = 0; off < n; off += UP_CHUNK) {
      const m = Math.min(UP_CHUNK, n - off);
      for (let j = 0; j < m; j++) lin[K - 1 + j] = input[from + off + j]!;
      let j = 0;
      for (; j + 1 < m; j += 2) {
        const b = K - 1 + j;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let e0 = 0;
        let e1 = 0;
        let e2 = 0;
        let e3 = 0;
        for (let k = 0; k < K; k++) {
          const h = lin[b - k]!;
          const g = lin[b + 1 - k]!;
          const c0 = c[k]!;
          const c1 = c[K + k]!;
          const c2 = c[2 * K + k]!;
          const c3 = c[3 * K + k]!;
          a0 += c0 * h;
          a1 += c1 * h;
          a2 += c2 * h;
          a3 += c3 * h;
          e0 += c0 * g;
          e1 += c1 * g;
          e2 += c2 * g;
          e3 += c3 * g;
        }
        out[off + j] = this.peakOf(a0, a1, a2, a3);
        out[off + j + 1] = this.peakOf(e0, e1, e2, e3);
      }
      for (; j < m; j++) {
        const b = K - 1 + j;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let k = 0; k < K; k++) {
          const h = lin[b - k]!;
          a0 += c[k]! * h;
          a1 += c[K + k]! * h;
          a2 += c[2 * K + k]! * h;
          a3 += c[3 * K + k]! * h;
        }
        out[off + j] = this.peakOf(a0, a1, a2, a3);
      }
      lin.copyWithin(0, m, m + K - 1);
    }
    // Leave the ring exactly as n pushes would: only the newest K samples are ever read.
    for (let j = Math.max(0, n - K); j < n; j++) {
      let pos = this.xPos - 1;
      if (pos < 0) pos += K;
      const x = input[from + j]!;
      hist[pos] = x;
      hist[pos + K] = x;
      this.xPos = pos;
    }
  }

  /** max(|a0|, |a1|, |a2|, |a3|) exactly as Math.max (NaN if any is NaN), picked by table index. */
  private peakOf(a0: number, a1: number, a2: number, a3: number): number {
    const b0 = Math.abs(a0);
    const b1 = Math.abs(a1);
    const b2 = Math.abs(a2);
    const b3 = Math.abs(a3);
    const sel = this.sel;
    sel[0] = b0;
    sel[1] = b1;
    const m01 = sel[+(b1 > b0)]!;
    sel[0] = b2;
    sel[1] = b3;
    const m23 = sel[+(b3 > b2)]!;
    sel[0] = m01;
    sel[1] = m23;
    const m = sel[+(m23 > m01)]!;
    // The comparisons drop NaN; Math.max propagates it (magnitudes: no -Infinity to cancel).
    const sum = b0 + b1 + b2 + b3;
    return sum === sum ? m : NaN;
  }

  /** Push four high-rate samples w[o..o+3]; returns the base-rate output sample. */
  down(w: Float64Array, o: number): number {
    const N = this.taps;
    const hist = this.wHist;
    const h = this.downCoef;
    let pos = this.wPos;
    // The output sample is aligned with the first of the four (high-rate phase 0).
    pos = pos - 1 < 0 ? pos - 1 + N : pos - 1;
    hist[pos] = w[o]!;
    hist[pos + N] = w[o]!;
    let acc = 0;
    for (let j = 0; j < N; j++) acc += h[j]! * hist[pos + j]!;
    for (let p = 1; p < 4; p++) {
      pos = pos - 1 < 0 ? pos - 1 + N : pos - 1;
      hist[pos] = w[o + p]!;
      hist[pos + N] = w[o + p]!;
    }
    this.wPos = pos;
    return acc;
  }
}
