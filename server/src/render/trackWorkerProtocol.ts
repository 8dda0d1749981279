import type { MixPlan, PlanNodeId } from '@mixroom/shared/plan';
import type { BakeErrorCode } from './BakeError.ts';

/**
 * Messages between the bake's main thread and a track worker. Sample data travels as one
 * packed Float32Array per direction per block (transferred, not copied), and each side
 * hands the other's buffer back for reuse, so a bake allocates its blocks once.
 */
export type ToTrackWorker =
  | { type: 'init'; plan: MixPlan; trackIds: string[]; exports: PlanNodeId[]; blockFrames: number }
  | {
      type: 'block';
      index: number;
      frames: number;
      /** Stem blocks of the share's sources, in order: each source's channels x blockFrames. */
      stems: Float32Array;
      /** A spare output buffer to fill (recycled), or null to allocate. */
      spare: Float32Array | null;
    };

export type FromTrackWorker =
  | { type: 'ready'; latencyFrames: number[] }
  | { type: 'block'; index: number; out: Float32Array; stems: Float32Array }
  | { type: 'error'; code: BakeErrorCode; message: string };
