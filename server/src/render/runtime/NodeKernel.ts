/**
 * One plan node as the bake runs it: the node's input (already summed and up/down-mixed
 * from its edges, in plan edge order) goes in, the node's output comes out.
 */
export interface NodeKernel {
  /** Channels the kernel wants at input 0 (the panner keeps mono mono: Web Audio's mono law). */
  readonly inputChannels: 1 | 2;
  /** Constant delay of this node in frames. */
  readonly latencyFrames: number;
  /** True when output === input bit for bit: the runtime then aliases buffers instead of copying. */
  readonly identity: boolean;
  /** `at` is the song frame of the block's first sample (what automation is evaluated at; 0 when not given). */
  process(input: readonly Float32Array[], output: readonly Float32Array[], frames: number, sidechain?: readonly Float32Array[], at?: number): void;
}
