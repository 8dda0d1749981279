/**
 * A parameter value that moves linearly to a new target, advanced once per sample, with
 * the timing of a Web Audio `setValueAtTime(v0, t0)` + `linearRampToValueAtTime(v1, t0 +
 * n/sampleRate)`: the k-th sample after the change (k = 0 at the change) has the value
 * v0 + (v1 − v0)·k/n, and from k = n on the value is v1. It is computed from k, never
 * accumulated, so it depends only on the sample index of the change.
 */
export class LinearRamp {
  /** The value of the most recent sample (the target once the ramp is over). */
  value: number;
  target: number;
  private start: number;
  /** Samples produced since the change. */
  private k = 0;
  /** Ramp length n in samples (0 = not ramping). */
  private n = 0;

  constructor(initial: number) {
    this.value = initial;
    this.target = initial;
    this.start = initial;
  }

  /** True while the value is still moving (the next sample is not yet the target). */
  get ramping(): boolean {
    return this.k < this.n;
  }

  /** Jump to `v` now. */
  snap(v: number): void {
    this.value = v;
    this.target = v;
    this.start = v;
    this.k = 0;
    this.n = 0;
  }

  /** Start a ramp from the current value to `v` over `frames` samples. */
  rampTo(v: number, frames: number): void {
    // Re-sending the current target (a plan update that did not touch this parameter)
    // must not restart or slow a running ramp.
    if (v === this.target) return;
    this.start = this.value;
    this.target = v;
    this.k = 0;
    this.n = Math.max(1, frames);
  }

  private at(k: number): number {
    return k >= this.n ? this.target : this.start + ((this.target - this.start) * k) / this.n;
  }

  /**
   * The value `j` samples ahead (j >= 1: j = 1 is what the next `next()` returns) without
   * advancing: lets several channels, processed one after another, see the same values.
   */
  peek(j: number): number {
    return this.at(this.k + j - 1);
  }

  /** Advance `j` samples at once. */
  skip(j: number): void {
    if (!this.ramping) return;
    this.k = Math.min(this.n, this.k + j);
    this.value = this.k === this.n ? this.target : this.at(this.k - 1);
  }

  /**
   * Advance one sample and return its value. Once the last interpolated sample has been
   * returned, `value` (and every later `next()`) is the target.
   */
  next(): number {
    if (this.k < this.n) {
      const v = this.at(this.k);
      this.k++;
      this.value = this.k === this.n ? this.target : v;
      return v;
    }
    return this.value;
  }
}
