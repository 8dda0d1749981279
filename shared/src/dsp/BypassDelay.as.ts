// AssemblyScript, part of stripChain.wasm: the twin of server/src/render/runtime/BypassDelay.ts,
// a bypassed processor's latency as a DELAY op in a group of its own.

import {
  DELAY, OP_HEADER_BYTES, DELAY_BYTES_PER_FRAME, ARG0, PAYLOAD,
} from './chainProgram.generated.as';

/** Bytes of a DELAY op of `length` frames (header, two tails, a scratch; 16-byte aligned). */
@inline export function delayOpBytes(length: i32): usize {
  return (OP_HEADER_BYTES + DELAY_BYTES_PER_FRAME * <usize>length + 15) & ~15;
}

/**
 * A group that is one DELAY (a bypassed processor's latency L): block copies, as the
 * JavaScript BypassDelay does, so no per-sample work. The op keeps the last L input frames
 * per channel (tailL, tailR) and a scratch of L frames for in-place blocks.
 */
export function runDelay(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  const length = <usize>load<i32>(p, ARG0);
  const tailL = p + PAYLOAD;
  const tailR = tailL + (length << 2);
  const save = tailR + (length << 2);
  if (inL == inR && outL == outR) {
    // A mono chain runs one buffer for both lanes: delay it once.
    delayChannel(tailL, save, length, inL, outL, <usize>frames);
  } else if (inL == inR && outL == inL) {
    // One mono source into two outputs, the left one in place: the right first, while the
    // source is still undelayed.
    delayChannel(tailR, save, length, inR, outR, <usize>frames);
    delayChannel(tailL, save, length, inL, outL, <usize>frames);
  } else {
    delayChannel(tailL, save, length, inL, outL, <usize>frames);
    delayChannel(tailR, save, length, inR, outR, <usize>frames);
  }
}

function delayChannel(tail: usize, save: usize, length: usize, src: usize, dst: usize, n: usize): void {
  if (n >= length) {
    memory.copy(save, src + ((n - length) << 2), length << 2); // the next tail, before dst may overwrite it
    memory.copy(dst + (length << 2), src, (n - length) << 2);
    memory.copy(dst, tail, length << 2);
    memory.copy(tail, save, length << 2);
  } else {
    memory.copy(save, src, n << 2);
    memory.copy(dst, tail, n << 2);
    memory.copy(tail, tail + (n << 2), (length - n) << 2);
    memory.copy(tail + ((length - n) << 2), save, n << 2);
  }
}
