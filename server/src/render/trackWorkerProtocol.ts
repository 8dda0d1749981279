import type { MixPlan, PlanNodeId } from '@mixroom/shared/plan';
import type { BakeErrorCode } from './BakeError.ts';

/**
 * Messages between the bake's main thread and a track worker. Stem blocks travel as one
 * packed Float32Array (transferred, not copied, handed back for reuse). The worker writes
 * its exported signals straight into the main thread's shared SampleArena, into the slot
 * the block names: the main thread sums them from there, nothing is copied or transferred.
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
    }
  | {
      type: 'block';
      index: number;
      frames: number;
      /** Stem blocks of the share's sources, in order: each source's channels x blockFrames. */
      stems: Float32Array;
      /** Which export slot to write this block's exports into. */
      slot: number;
    };

export type FromTrackWorker =
  | { type: 'ready'; latencyFrames: number[] }
  | { type: 'block'; index: number; stems: Float32Array }
  | { type: 'error'; code: BakeErrorCode; message: string };
