import { TRUE_PEAK_TAPS } from '@mixroom/shared/dsp/loudness';

/**
 * What the master-bus module (shared/src/dsp/masterBus.as.ts, reverb.as.ts) and its wrappers
 * (WasmLimiter, WasmReverb, WasmTruePeakMeter) must agree on. This file is its one
 * description: the AssemblyScript reads the same names from
 * shared/src/dsp/masterBusLayout.generated.as.ts, written from here by
 * `pnpm --filter @mixroom/server build:wasm` (a test fails when it is stale).
 */

/**
 * Byte offsets of the reverb's state block (WasmReverb writes it, reverbProcess reads and
 * updates it). f64: the damping coefficient, 1/sqrt(8), 8 line gains, 8 damping states;
 * i32: 8 line lengths, 8 line positions, 4 diffuser lengths, 4 diffuser positions, the
 * pre-delay's length, position and delay; u32: 8 line buffers, 4 diffuser buffers, the
 * pre-delay buffer.
 */
export const REVERB_STATE = {
  DAMP_COEF: 0,
  NORM: 8,
  LINE_GAINS: 16,
  DAMP_STATE: 80,
  LINE_LENGTHS: 144,
  LINE_POSITIONS: 176,
  DIFFUSER_LENGTHS: 208,
  DIFFUSER_POSITIONS: 224,
  PRE_LENGTH: 240,
  PRE_POSITION: 244,
  PRE_FRAMES: 248,
  LINE_BUFFERS: 256,
  DIFFUSER_BUFFERS: 288,
  PRE_BUFFER: 304,
  BYTES: 320,
} as const;

/** Feedback lines and diffusers the module's reverb has (unrolled there). */
export const REVERB_LINES = 8;
export const REVERB_DIFFUSERS = 4;

/** Frames per limiter detector pass: sizes the buffers WasmLimiter carves out (any value gives the same output). */
export const LIMITER_CHUNK = 256;

/**
 * Samples of history the true-peak meter keeps before a block, one fewer than its taps per
 * phase (its state: f64 peak, f64 unused, the history, the block).
 */
export const TRUE_PEAK_HISTORY = TRUE_PEAK_TAPS - 1;
