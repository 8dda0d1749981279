import { kaiserLowpass } from './kaiserLowpass.ts';

/**
 * One channel of 2x up/down sampling through a linear-phase half-band FIR of 4M − 1 taps.
 * A half-band filter's taps are zero at every even offset from the centre (which is 0.5),
 * so each 2x step costs 2M multiply-adds instead of 4M: one polyphase branch is a pure
 * delay. Cascading two of them gives cheap 4x oversampling.
 *
 * `up(x)` writes the two 2x-rate samples for base sample x; `down(w0, w1)` takes two
 * 2x-rate samples and returns one base-rate sample (the filter evaluated at the second).
 */
export class Halfband2x {
  /** Number of non-zero side taps (2M). */
  private readonly side: number;
  private readonly m: number;
  /** Side taps (the even-index taps h[0], h[2], ...) times 2 for up, plain for down. */
  private readonly upCoef: Float64Array;
  private readonly downCoef: Float64Array;
  private readonly xHist: Float64Array;
  private xPos = 0;
  private readonly oddHist: Float64Array;
  private oddPos = 0;
  private readonly evenHist: Float64Array;
  private evenPos = 0;

  constructor(m: number, beta: number) {
    const taps = 4 * m - 1;
    const h = kaiserLowpass(taps, 0.25, beta);
    this.m = m;
    this.side = 2 * m;
    this.upCoef = new Float64Array(this.side);
    this.downCoef = new Float64Array(this.side);
    // Exact half-band structure: centre 0.5, side taps scaled to sum to 0.5 (unity DC).
    let sum = 0;
    for (let k = 0; k < this.side; k++) sum += h[2 * k]!;
    for (let k = 0; k < this.side; k++) {
      const v = (h[2 * k]! * 0.5) / sum;
      this.downCoef[k] = v;
      this.upCoef[k] = 2 * v;
    }
    this.xHist = new Float64Array(2 * this.side);
    this.oddHist = new Float64Array(2 * this.side);
    this.evenHist = new Float64Array(2 * m);
  }

  reset(): void {
    this.xHist.fill(0);
    this.oddHist.fill(0);
    this.evenHist.fill(0);
    this.xPos = 0;
    this.oddPos = 0;
    this.evenPos = 0;
  }

  /** Push base sample x; out[o] = even 2x sample, out[o+1] = odd 2x sample. */
  up(x: number, out: Float64Array, o: number): void {
    const S = this.side;
    const hist = this.xHist;
    let pos = this.xPos - 1;
    if (pos < 0) pos += S;
    hist[pos] = x;
    hist[pos + S] = x;
    this.xPos = pos;
    const c = this.upCoef;
    let acc = 0;
    for (let k = 0; k < S; k++) acc += c[k]! * hist[pos + k]!;
    out[o] = acc;
    out[o + 1] = hist[pos + this.m - 1]!;
  }

  /** Push 2x samples w0 (even) and w1 (odd); returns the base-rate sample. */
  down(w0: number, w1: number): number {
    const S = this.side;
    const M = this.m;
    let ep = this.evenPos - 1;
    if (ep < 0) ep += M;
    this.evenHist[ep] = w0;
    this.evenHist[ep + M] = w0;
    this.evenPos = ep;
    let op = this.oddPos - 1;
    if (op < 0) op += S;
    const odd = this.oddHist;
    odd[op] = w1;
    odd[op + S] = w1;
    this.oddPos = op;
    const c = this.downCoef;
    let acc = 0;
    for (let k = 0; k < S; k++) acc += c[k]! * odd[op + k]!;
    return acc + 0.5 * this.evenHist[ep + M - 1]!;
  }
}
