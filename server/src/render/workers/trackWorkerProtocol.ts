import type { MixPlan, PlanNodeId } from '@mixroom/shared/plan';
import type { BakeErrorCode } from '../BakeError.ts';
import type { WavSampleFormat } from '@mixroom/shared/wav';

/**
 * Messages between the bake's main thread and a track worker. Stem blocks travel as the
 * stems' raw encoded bytes, one packed buffer per block (transferred, not copied, handed
 * back for reuse): the worker decodes them to float itself. The worker writes
 * its exported signals straight into the main thread's shared SampleArena, into the slot
 * the block names: the main thread sums them from there, nothing is copied or transferred.
 * A worker that continues another's partial bus sums (planSumChains) waits on that worker's
 * flag in the arena (Atomics) before reading them from its slot.
 */
export type ToTrackWorker =
  | {
      type: 'init';
      plan: MixPlan;
      trackIds: string[];
      exports: PlanNodeId[];
      blockFrames: number;
      /** The main thread's SampleArena memory. */
      memory: SharedArrayBuffer;
      /** Byte offsets in `memory` of this worker's export slots (one per block in flight): exports' channels x blockFrames. */
      slots: number[];
      /** The encoding of each of the share's sources, in order; null: no stem (silence). */
      stems: (StemEncoding | null)[];
      /** This worker's index: it stores the count of blocks it finished at `flags[worker]`. */
      worker: number;
      /**
       * Where in `memory` the Int32 flags are: per worker the blocks it finished (its exports
       * for them are in their slots), then one that is set when the bake stops.
       */
      flags: { byteOffset: number; length: number };
      /** Partial sums of earlier workers this one continues: per slot, the byte offset of their channels. */
      relays: { id: PlanNodeId; from: number; slots: number[] }[];
    }
  | {
      type: 'block';
      index: number;
      frames: number;
      /** Encoded stem bytes of the share's sources, laid out by stemBlockLayout. */
      stems: Uint8Array;
      /**
       * Frames of data per source (fewer than `frames` after a stem's end: the rest is
       * silence). Not used for sources the worker reads from their file.
       */
      valid: number[];
      /** Which export slot to write this block's exports into. */
      slot: number;
    }
  /** The bake is over and the thread is kept for another: drop its plan, buffers and arena. */
  | { type: 'reset' };

export type FromTrackWorker =
  | { type: 'ready'; latencyFrames: number[] }
  | { type: 'block'; index: number; stems: Uint8Array }
  | { type: 'error'; code: BakeErrorCode; message: string; trackId?: string; trackName?: string; stemKey?: string };

export interface StemEncoding {
  encoding: WavSampleFormat;
  bytesPerFrame: number;
  /**
   * A stem in a local file (StemStream.localFile): the worker reads each block of it
   * itself, from this file descriptor (the main thread keeps it open until the workers
   * have stopped), and it takes no room in the block's packed stem buffer.
   */
  file?: StemFile;
}

/** Where a worker reads a local stem, and how to name it when the file turns out short. */
export interface StemFile {
  fd: number;
  /** Byte offset of frame 0 in the file. */
  dataOffset: number;
  /** Frames of the stem (after the last, the source plays silence). */
  frames: number;
  trackId: string;
  trackName: string;
  stemKey: string;
}

/**
 * Where each source's bytes sit in a block's packed stem buffer: one region of
 * blockFrames frames per source, 8-byte aligned so the worker views them without copying;
 * none for a source without a stem or one the worker reads from its file.
 */
export function stemBlockLayout(stems: readonly (StemEncoding | null)[], blockFrames: number): { offsets: number[]; bytes: number } {
  let bytes = 0;
  const offsets = stems.map((s) => {
    const at = bytes;
    bytes += s === null || s.file ? 0 : (s.bytesPerFrame * blockFrames + 7) & ~7;
    return at;
  });
  return { offsets, bytes };
}
