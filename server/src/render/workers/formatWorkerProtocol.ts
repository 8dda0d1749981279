import type { LoudnessSummary } from '@mixroom/shared/dsp/loudness';
import type { FormatMeasurement } from '@mixroom/shared/review';
import type { BakeErrorCode } from '../BakeError.ts';
import type { SealedBakeFile } from '../deliver/BakeFileSink.ts';
import type { FormatWriterOptions } from '../deliver/FormatWriter.ts';

/**
 * Messages between the bake's main thread and an encoder thread (one or more output formats
 * each). Master blocks travel through a shared ring: `slots` blocks of `channels` planar
 * float32 channels of `maxBlockFrames` frames in one SharedArrayBuffer. The main thread
 * copies a block into a free slot and posts `block`; the thread encodes it for each of its
 * formats and posts `release` as soon as they have copied what they need, so the slot is free
 * once every thread released it. `index` is a format's place in the thread's `formats`.
 */
export type ToFormatWorker =
  | {
      type: 'init';
      formats: FormatWriterOptions[];
      ring: { memory: SharedArrayBuffer; slots: number };
      /** Also meter the float master itself (the bake's loudness report), in this thread. */
      meterMaster: boolean;
    }
  | { type: 'block'; slot: number; frames: number }
  | { type: 'finish' };

export type FromFormatWorker =
  | { type: 'ready' }
  | { type: 'release'; slot: number }
  /** After the last block: an MP3 encoded again at a lower gain (its ceiling margin). */
  | { type: 'pass'; index: number; pass: number; gainDb: number }
  /** A native encoder's process started or ended: the main thread kills those still running when it ends the thread. */
  | { type: 'child'; pid: number; running: boolean }
  | { type: 'done'; index: number; file: SealedBakeFile; measurement: FormatMeasurement | null }
  /** After every format's `done`: the float master's loudness (null unless `meterMaster`). */
  | { type: 'finished'; master: LoudnessSummary | null }
  | { type: 'error'; code: BakeErrorCode; message: string };

/** Float32 offset of channel `c` of ring slot `slot`. */
export function ringOffset(slot: number, c: number, channels: number, maxBlockFrames: number): number {
  return (slot * channels + c) * maxBlockFrames;
}
