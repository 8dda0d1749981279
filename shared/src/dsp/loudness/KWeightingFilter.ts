import { kWeightingCoefficients, type BiquadCoefficients } from './kWeightingCoefficients.ts';

/**
 * Streaming K-weighting filter for one channel (two biquads in cascade, direct form I in
 * float64: the RLB high-pass sits at 38 Hz, where float32 state would add audible error
 * to low-frequency loudness).
 */
export class KWeightingFilter {
  private readonly shelf: BiquadCoefficients;
  private readonly highPass: BiquadCoefficients;
  // Shelf state (x[n-1], x[n-2], y[n-1], y[n-2]) and high-pass state.
  private sx1 = 0;
  private sx2 = 0;
  private sy1 = 0;
  private sy2 = 0;
  private hy1 = 0;
  private hy2 = 0;

  constructor(sampleRate: number) {
    const c = kWeightingCoefficients(sampleRate);
    this.shelf = c.shelf;
    this.highPass = c.highPass;
  }

  /**
   * Filters `input` and returns the sum of squares of the K-weighted samples in
   * [start, end), the quantity the loudness meter integrates.
   */
  sumOfSquares(input: Float32Array, start = 0, end = input.length): number {
    const s = this.shelf;
    const h = this.highPass;
    let { sx1, sx2, sy1, sy2, hy1, hy2 } = this;
    let sum = 0;
    for (let i = start; i < end; i++) {
      const x = input[i]!;
      const y = s.b0 * x + s.b1 * sx1 + s.b2 * sx2 - s.a1 * sy1 - s.a2 * sy2;
      sx2 = sx1;
      sx1 = x;
      // The high-pass input is the shelf output: its x history is sy1/sy2.
      const z = h.b0 * y + h.b1 * sy1 + h.b2 * sy2 - h.a1 * hy1 - h.a2 * hy2;
      sy2 = sy1;
      sy1 = y;
      hy2 = hy1;
      hy1 = z;
      sum += z * z;
    }
    // Denormals and NaN guard: a NaN input must not poison every later block.
    if (!Number.isFinite(sum)) {
      sx1 = sx2 = sy1 = sy2 = hy1 = hy2 = 0;
      sum = 0;
    }
    Object.assign(this, { sx1, sx2, sy1, sy2, hy1, hy2 });
    return sum;
  }

  reset(): void {
    this.sx1 = this.sx2 = this.sy1 = this.sy2 = this.hy1 = this.hy2 = 0;
  }
}
