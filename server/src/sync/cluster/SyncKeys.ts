/**
 * Every Redis key and channel the sync cluster uses, in one place. `docId` is a sync document
 * name (`<room>` or `<room>~review`), already validated: `[A-Za-z0-9_~-]`.
 */
export interface SyncKeys {
  /** The room's stream of durable updates (entries: `n` node id, `u` encoded batch). */
  stream(docId: string): string;
  /** Set once when a node initialises a brand-new room, so two nodes never both do. */
  created(docId: string): string;
  /** Compaction lock of one room (SET NX PX, released by its token). */
  lock(docId: string): string;
  /** Sorted set: docId -> time of its first update not yet in an S3 snapshot. */
  readonly dirty: string;
  /** Random value set once per Redis dataset: a different or missing one means Redis lost data. */
  readonly epoch: string;
  /** Pub/sub channel of one room's presence. */
  presence(docId: string): string;
}

export function syncKeys(prefix: string): SyncKeys {
  return {
    stream: (docId) => `${prefix}:sync:stream:${docId}`,
    created: (docId) => `${prefix}:sync:created:${docId}`,
    lock: (docId) => `${prefix}:sync:lock:${docId}`,
    dirty: `${prefix}:sync:dirty`,
    epoch: `${prefix}:sync:epoch`,
    presence: (docId) => `${prefix}:sync:presence:${docId}`,
  };
}
