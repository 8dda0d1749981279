import { kaiserLowpass } from './kaiserLowpass.ts';

/**
 * Side taps of a linear-phase half-band low-pass FIR of 4m − 1 taps (Kaiser, cutoff at a
 * quarter of the sample rate). A half-band filter is zero at every even offset from its
 * centre tap, which is exactly 0.5; the 2m remaining taps (the even-index taps h[0], h[2],
 * …, returned newest-first order = index order) are scaled to sum to 0.5 so DC passes at
 * unity. Used for 2x up/down stages where one polyphase branch is then a pure delay, so
 * each stage costs 2m multiply-adds per sample.
 */
export function halfbandSideTaps(m: number, beta: number): Float64Array {
  const h = kaiserLowpass(4 * m - 1, 0.25, beta);
  const side = new Float64Array(2 * m);
  let sum = 0;
  for (let k = 0; k < 2 * m; k++) sum += h[2 * k]!;
  for (let k = 0; k < 2 * m; k++) side[k] = (h[2 * k]! * 0.5) / sum;
  return side;
}
