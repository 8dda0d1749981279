/**
 * What a bypassed processor with latency outputs: its input delayed by `latency` frames
 * (the plan's rule, so bypass never moves audio in time). Done with block copies instead of
 * a per-sample ring: the same samples at a fraction of the cost, which matters because
 * every track strip carries bypassed processors.
 */
export class BypassDelay {
  private readonly tail: Float32Array[];

  constructor(
    readonly latency: number,
    channels: number,
  ) {
    this.tail = Array.from({ length: channels }, () => new Float32Array(latency));
  }

  process(input: readonly Float32Array[], output: readonly Float32Array[], frames: number): void {
    const L = this.latency;
    for (let c = 0; c < output.length; c++) {
      const src = input[c] ?? input[0]!;
      const dst = output[c]!;
      const tail = this.tail[c]!;
      if (frames >= L) {
        // Keep the last L input frames before `dst` (possibly the same array) is written.
        const nextTail = src.slice(frames - L, frames);
        if (dst === src) dst.copyWithin(L, 0, frames - L);
        else dst.set(src.subarray(0, frames - L), L);
        dst.set(tail, 0);
        tail.set(nextTail);
      } else {
        // Short block: output the oldest `frames` of the tail, shift, append the input.
        const head = tail.slice(0, frames);
        tail.copyWithin(0, frames);
        tail.set(src.subarray(0, frames), L - frames);
        dst.set(head, 0);
      }
    }
  }
}
