import { COMPRESSOR_STATE_SLOTS, DEESSER_STATE_SLOTS, GATE_STATE_SLOTS } from '@mixroom/shared/dsp';

/**
 * The strip-chain program format, written by createChainKernel and run by stripChain.wasm
 * (shared/src/dsp/stripChain.as.ts). This file is its one description: the AssemblyScript
 * reads the same names from shared/src/dsp/chainProgram.generated.as.ts, which
 * `pnpm --filter @mixroom/server build:wasm` writes from here (a test fails when it is stale).
 *
 * A program is a list of ops, each 16-byte aligned: a header (i32 kind, then up to three
 * i32 arguments), then its payload. A "pair" is a v128 of two f64: the left lane's value,
 * then the right's.
 */
export const CHAIN_OP = {
  END: 0,
  /** A float32 gain: pair (g, g). */
  GAIN: 1,
  /** Coefficients b0, b1, b2, a1, a2, then the state x1, x2, y1, y2: nine pairs. */
  BIQUAD: 2,
  /** The stereo panner on a stereo input with pan <= 0: L + f32(R·gl), R·gr. Pair (gl, gr). */
  PAN_LEFT: 3,
  /** Stereo input, pan > 0: L·gl, R + f32(L·gr). Pair (gl, gr). */
  PAN_RIGHT: 4,
  /** Mono input (both lanes equal): M·gl, M·gr. Pair (gl, gr). */
  PAN_MONO: 5,
  /** A bypassed processor's latency: argument 0 the length L, then f32 tailL[L], tailR[L], scratch[L]. Always a group of its own. */
  DELAY: 6,
  /** A gain node branching off the chain: arguments 0-1 its left and right buffers; pair (g, g). */
  SEND: 7,
  /** A gain of exactly 0 (GainNode's fill with +0). */
  ZERO: 8,
  /** A send of gain 0: writes +0 to its buffers (arguments 0-1). */
  SEND_ZERO: 9,
  /** The compressor detecting its own input: argument 0 the detector (1 rms, 0 peak), then its state block (COMPRESSOR_STATE_SLOTS, f64 each). */
  COMP: 10,
  /** The ops before it run over the whole block first. */
  BARRIER: 11,
  /** Stereo input, balance law: L·gl, R·gr. Pair (gl, gr). */
  PAN_BALANCE: 12,
  /** The gate: arguments 0-1 its key's left and right buffers (0: keyed by its own input), then its state block (GATE_STATE_SLOTS, f64 each). Always a group of its own. */
  GATE: 13,
  /** The de-esser (split or wide, listen off): its state block (DEESSER_STATE_SLOTS, f64 each). Always a group of its own. */
  DEESS: 14,
  /** An automated gain: argument 0 its per-frame values (f32). */
  GAIN_AUTO: 15,
  /** An automated send: arguments 0-1 its left and right buffers, argument 2 its per-frame values (f32). */
  SEND_AUTO: 16,
  /** An automated panner: argument 0 its per-frame gains (pairs (gl, gr) of f64), argument 1 its per-frame formulas (i32, PAN_AUTO_LAW). */
  PAN_AUTO: 17,
  /** A biquad with automated frequency or gain: argument 0 its per-frame coefficients (b0, b1, b2, a1, a2: f64), then the state x1, x2, y1, y2: four pairs. */
  BIQUAD_AUTO: 18,
} as const;

/** A PAN_AUTO frame's formula: the four of the static PAN_* ops. */
export const PAN_AUTO_LAW = { mono: 0, left: 1, right: 2, balance: 3 } as const;

/** Bytes per frame of each automated op's values buffer. */
export const AUTO_BYTES_PER_FRAME = {
  GAIN_AUTO: 4,
  SEND_AUTO: 4,
  /** The gains; its formulas (i32 per frame) have a buffer of their own. */
  PAN_AUTO: 16,
  BIQUAD_AUTO: 40,
} as const;

export type ChainOp = keyof typeof CHAIN_OP;

/** Bytes of an op header. */
export const OP_HEADER_BYTES = 16;
/** Bytes of an op whose payload is one pair (GAIN, PAN_*, SEND). */
export const PAIR_OP_BYTES = OP_HEADER_BYTES + 16;

/** Byte offsets inside an op, from its start. */
export const CHAIN_FIELD = {
  /** The first i32 argument (DELAY length, SEND left buffer, COMP detector). */
  ARG0: 4,
  /** The second i32 argument (SEND right buffer). */
  ARG1: 8,
  /** The third i32 argument (SEND_AUTO values). */
  ARG2: 12,
  /** The payload's first pair or f64 slot. */
  PAYLOAD: OP_HEADER_BYTES,
  BIQUAD_B0: OP_HEADER_BYTES,
  BIQUAD_B1: OP_HEADER_BYTES + 16,
  BIQUAD_B2: OP_HEADER_BYTES + 32,
  BIQUAD_A1: OP_HEADER_BYTES + 48,
  BIQUAD_A2: OP_HEADER_BYTES + 64,
  BIQUAD_X1: OP_HEADER_BYTES + 80,
  BIQUAD_X2: OP_HEADER_BYTES + 96,
  BIQUAD_Y1: OP_HEADER_BYTES + 112,
  BIQUAD_Y2: OP_HEADER_BYTES + 128,
  AUTO_X1: OP_HEADER_BYTES,
  AUTO_X2: OP_HEADER_BYTES + 16,
  AUTO_Y1: OP_HEADER_BYTES + 32,
  AUTO_Y2: OP_HEADER_BYTES + 48,
} as const;

/** Bytes of each fixed-size op (a DELAY's are {@link delayOpBytes}). */
export const CHAIN_OP_BYTES = {
  END: OP_HEADER_BYTES,
  GAIN: PAIR_OP_BYTES,
  BIQUAD: OP_HEADER_BYTES + 9 * 16,
  PAN_LEFT: PAIR_OP_BYTES,
  PAN_RIGHT: PAIR_OP_BYTES,
  PAN_MONO: PAIR_OP_BYTES,
  SEND: PAIR_OP_BYTES,
  ZERO: OP_HEADER_BYTES,
  SEND_ZERO: OP_HEADER_BYTES,
  COMP: OP_HEADER_BYTES + 8 * COMPRESSOR_STATE_SLOTS.length,
  BARRIER: OP_HEADER_BYTES,
  PAN_BALANCE: PAIR_OP_BYTES,
  GATE: OP_HEADER_BYTES + 8 * GATE_STATE_SLOTS.length,
  DEESS: OP_HEADER_BYTES + 8 * DEESSER_STATE_SLOTS.length,
  GAIN_AUTO: OP_HEADER_BYTES,
  SEND_AUTO: OP_HEADER_BYTES,
  PAN_AUTO: OP_HEADER_BYTES,
  BIQUAD_AUTO: OP_HEADER_BYTES + 4 * 16,
} as const satisfies Record<Exclude<ChainOp, 'DELAY'>, number>;

/** Bytes a DELAY op keeps per frame of its length: two tails and a scratch, f32 each. */
export const DELAY_BYTES_PER_FRAME = 12;

/** Bytes of a DELAY op of `frames` frames (header, two tails, a scratch; 16-byte aligned). */
export function delayOpBytes(frames: number): number {
  return (OP_HEADER_BYTES + DELAY_BYTES_PER_FRAME * frames + 15) & ~15;
}
