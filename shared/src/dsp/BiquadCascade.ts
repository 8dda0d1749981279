import type { BiquadProcessor } from './biquad.ts';

/**
 * Biquads in series (an EQ section: high-pass, bands, low-pass) processed as one unit:
 * the output is bit for bit that of calling each stage's `process` in order (stage 0 from
 * the input, every later stage in place), so it still nulls against Chromium's chain of
 * BiquadFilterNodes. Stages are run two at a time with {@link BiquadProcessor.processWith},
 * which overlaps their feedback recursions in one loop (~1.2x the throughput of separate
 * passes on a 5-stage stereo chain). The stages stay ordinary processors: set their
 * parameters directly; a ramping stage simply takes the separate path until it settles.
 */
export class BiquadCascade {
  readonly stages: readonly BiquadProcessor[];

  constructor(stages: readonly BiquadProcessor[]) {
    this.stages = [...stages];
  }

  /** Runs every stage over `frames` samples of inputs into outputs (in place allowed). */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const stages = this.stages;
    const n = stages.length;
    if (n === 0) {
      for (let c = 0; c < outputs.length; c++) {
        const src = inputs[c] ?? inputs[0]!;
        if (src !== outputs[c]) outputs[c]!.set(src.subarray(0, frames));
      }
      return;
    }
    let src = inputs;
    let k = 0;
    for (; k + 1 < n; k += 2) {
      stages[k]!.processWith(stages[k + 1]!, src, outputs, frames);
      src = outputs;
    }
    if (k < n) stages[k]!.process(src, outputs, frames);
  }

  /** Clears every stage's audio state. */
  reset(): void {
    for (const s of this.stages) s.reset();
  }
}
