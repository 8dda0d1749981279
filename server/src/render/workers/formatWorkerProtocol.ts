import type { LoudnessSummary } from '@mixroom/shared/dsp';
import type { FormatMeasurement } from '@mixroom/shared/review';
import type { BakeErrorCode } from '../BakeError.ts';
import type { SealedBakeFile } from '../deliver/BakeFileSink.ts';
import type { FormatWriterOptions } from '../deliver/FormatWriter.ts';

/**
 * Messages between the bake's main thread and an encoder thread (one per output format).
 * Master blocks travel through a shared ring: `slots` blocks of `channels` planar float32
 * channels of `maxBlockFrames` frames in one SharedArrayBuffer. The main thread copies a
 * block into a free slot and posts `block`; the thread encodes it and posts `release` as soon
 * as it has copied what it needs, so the slot is free once every thread released it.
 */
export type ToFormatWorker =
  | {
      type: 'init';
      options: FormatWriterOptions;
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
  | { type: 'pass'; pass: number; gainDb: number }
  | { type: 'done'; file: SealedBakeFile; measurement: FormatMeasurement | null; master: LoudnessSummary | null }
  | { type: 'error'; code: BakeErrorCode; message: string };

/** Float32 offset of channel `c` of ring slot `slot`. */
export function ringOffset(slot: number, c: number, channels: number, maxBlockFrames: number): number {
  return (slot * channels + c) * maxBlockFrames;
}
