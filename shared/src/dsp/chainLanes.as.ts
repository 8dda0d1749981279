// AssemblyScript, part of stripChain.wasm: what the strip chain's kernels share: the op
// payload's f64 slots, a pair of lanes, float32 rounding, and the groups' scratch.

import {
  PAYLOAD,
} from './chainProgram.generated.as';

/** Samples per pass of the compressor group; the scratch holds 3·CHUNK f64, the compressor's constants, then CHUNK + 2 u32 (a list). */
export const CHUNK: usize = 256;
/**
 * The groups' work buffers (compressor.ts's compressorScratchBytes), set once by setMathTables:
 * the compressor's chunk, or a gate's or de-esser's segment of frames (groups run one at a time).
 */
export let scratch: usize = 0;

export function setScratch(at: usize): void {
  scratch = at;
}

/** f64 slot `k` of the state block in the payload of the op at `p`. */
@inline export function slot(p: usize, k: i32): f64 {
  return load<f64>(p + PAYLOAD + (<usize>k << 3));
}

@inline export function pair(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** Rounds both lanes to float32 and back: what storing into a Float32Array does. */
@inline export function f32round(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}
