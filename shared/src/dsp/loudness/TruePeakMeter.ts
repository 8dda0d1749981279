import { TRUE_PEAK_PHASES, TRUE_PEAK_TAPS } from './truePeakFilter.ts';

/**
 * Streaming true-peak meter for one channel, per BS.1770-4 Annex 2: 4x oversampling with
 * the standard's polyphase FIR, then the maximum absolute value. The sample values
 * themselves are included too, so the reading is never below the sample peak (the FIR's
 * passband ripple could otherwise read a hair low on a full-scale DC step).
 */
export class TruePeakMeter {
  private readonly history = new Float64Array(TRUE_PEAK_TAPS);
  private pos = 0;
  private peak = 0;

  /** Feeds samples [start, end) of `input`. */
  process(input: Float32Array, start = 0, end = input.length): void {
    const h = this.history;
    const p0 = TRUE_PEAK_PHASES[0]!;
    const p1 = TRUE_PEAK_PHASES[1]!;
    const p2 = TRUE_PEAK_PHASES[2]!;
    const p3 = TRUE_PEAK_PHASES[3]!;
    let pos = this.pos;
    let peak = this.peak;
    for (let i = start; i < end; i++) {
      const x = input[i]!;
      if (!Number.isFinite(x)) continue;
      h[pos] = x;
      let y0 = 0;
      let y1 = 0;
      let y2 = 0;
      let y3 = 0;
      // Tap k multiplies the sample k steps back (newest first).
      let j = pos;
      for (let k = 0; k < TRUE_PEAK_TAPS; k++) {
        const v = h[j]!;
        y0 += p0[k]! * v;
        y1 += p1[k]! * v;
        y2 += p2[k]! * v;
        y3 += p3[k]! * v;
        j = j === 0 ? TRUE_PEAK_TAPS - 1 : j - 1;
      }
      const m = Math.max(Math.abs(x), Math.abs(y0), Math.abs(y1), Math.abs(y2), Math.abs(y3));
      if (m > peak) peak = m;
      pos = pos === TRUE_PEAK_TAPS - 1 ? 0 : pos + 1;
    }
    this.pos = pos;
    this.peak = peak;
  }

  /** Highest absolute value seen so far, linear (1 = 0 dBTP). */
  get linearPeak(): number {
    return this.peak;
  }
}
