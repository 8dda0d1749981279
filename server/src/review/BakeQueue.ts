import type { MixState } from '@mixroom/shared/model';

/** A place in the queue, held while a version is written; release it if nothing is queued. */
export interface BakeSlot {
  enqueue(versionId: string, state: MixState): Promise<void>;
  release(): Promise<void>;
}

/**
 * Where versions wait for their bake. Two implementations behind this one interface, picked
 * in the composition root: `createBakeQueue` (in this process, the embedded default) and
 * `createRedisBakeQueue` (BullMQ on Redis, baked by `pnpm worker` processes). Either way
 * progress and results are written to the room's review document.
 */
export interface BakeQueue {
  /**
   * Holds a place for one more bake of `roomId`, or rejects with a clear refusal when the
   * room (429) or the deployment (503) has as many bakes waiting as allowed.
   */
  reserve(roomId: string): Promise<BakeSlot>;
  /** Queues a version's bake (its record must already say `queued`); unbounded: for resuming. */
  enqueue(roomId: string, versionId: string, state: MixState): Promise<void>;
  /** True when the version is queued or baking (anywhere in the deployment). */
  has(roomId: string, versionId: string): Promise<boolean>;
  /** Cancels a queued or running bake (on whichever process runs it); its record ends `cancelled`. */
  cancel(roomId: string, versionId: string): Promise<boolean>;
  /** Bakes waiting and running (the queue-depth metric). */
  depth(): Promise<{ waiting: number; running: number }>;
  /** Resolves when nothing is queued or running and every result is in its room (tests). */
  idle(): Promise<void>;
  /** Stops this process's part: the in-process queue cancels its bakes; a shared queue leaves them to others. */
  close(): Promise<void>;
}
