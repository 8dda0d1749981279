/**
 * A parameter value that moves linearly to a new target over a fixed number of samples,
 * advanced once per sample. The value at ramp step k is `start + (target - start) * k / n`
 * (computed from k, not accumulated), so it depends only on the sample index of the change.
 */
export class LinearRamp {
  value: number;
  target: number;
  private start: number;
  private step = 0;
  private steps = 0;

  constructor(initial: number) {
    this.value = initial;
    this.target = initial;
    this.start = initial;
  }

  /** True while the value is still moving. */
  get ramping(): boolean {
    return this.step < this.steps;
  }

  /** Jump to `v` now. */
  snap(v: number): void {
    this.value = v;
    this.target = v;
    this.start = v;
    this.step = 0;
    this.steps = 0;
  }

  /** Start a ramp from the current value to `v` over `frames` samples. */
  rampTo(v: number, frames: number): void {
    if (v === this.value && !this.ramping) {
      this.target = v;
      return;
    }
    this.start = this.value;
    this.target = v;
    this.step = 0;
    this.steps = Math.max(1, frames);
  }

  /**
   * The value `k` samples ahead (k >= 1) without advancing: lets several channels, processed
   * one after another, see the same per-sample values as `next()` would give.
   */
  peek(k: number): number {
    const step = this.step + k;
    if (step >= this.steps) return this.target;
    return this.start + ((this.target - this.start) * step) / this.steps;
  }

  /** Advance `k` samples at once. */
  skip(k: number): void {
    if (this.step >= this.steps) return;
    this.step = Math.min(this.steps, this.step + k);
    this.value = this.step === this.steps ? this.target : this.start + ((this.target - this.start) * this.step) / this.steps;
  }

  /** Advance one sample and return the value for that sample. */
  next(): number {
    if (this.step < this.steps) {
      this.step++;
      this.value = this.step === this.steps ? this.target : this.start + ((this.target - this.start) * this.step) / this.steps;
    }
    return this.value;
  }
}
