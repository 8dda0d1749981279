/**
 * Frames per control step of the dynamics kernels that compute their gain at control rate
 * (the de-esser and the gate): 0.33 ms at 48 kHz. Sub-blocks are counted from the song's
 * first frame, never from a block's start, so the worklet's 128-frame quanta and the bake's
 * blocks (and seeks, loops) cut the same ones.
 */
export const CONTROL_SUB_BLOCK = 16;

/**
 * Song frame `at`'s place in its control sub-block: at mod {@link CONTROL_SUB_BLOCK}, in
 * [0, CONTROL_SUB_BLOCK) for negative frames (before a latency's worth of silence) too.
 */
export function subBlockPhase(at: number): number {
  const m = Math.floor(at) % CONTROL_SUB_BLOCK;
  return m < 0 ? m + CONTROL_SUB_BLOCK : m + 0;
}

/** The glide's weight at a sub-block's k-th frame: (k + 1)/CONTROL_SUB_BLOCK, exact in binary. */
export const CONTROL_GLIDE: Float64Array = Float64Array.from({ length: CONTROL_SUB_BLOCK }, (_, k) => (k + 1) / CONTROL_SUB_BLOCK);
