import type { RoomId } from '@mixroom/shared/protocol';

/**
 * Durable storage of rooms' Yjs documents, as seen by the sync server. The embedded default is
 * `LocalRoomStore` (per-room append-only log + snapshot on the local disk). A production store
 * can put snapshots in S3 and the tail log in a replicated log (Redis streams) behind this same
 * interface: the sync code only relies on the contract below.
 */
export interface RoomStore {
  /** Prepares the store (creates folders, checks it is writable). Ready for `open` after. */
  start(): Promise<void>;
  /**
   * Opens one room's storage and returns everything stored for it. The registry guarantees at
   * most one open handle per room per process at any time.
   */
  open(roomId: RoomId): Promise<OpenedRoom>;
}

export interface OpenedRoom {
  readonly storage: RoomStorage;
  /** Stored updates in order: the snapshot (if any) first, then logged updates. */
  readonly updates: readonly Uint8Array[];
  /** True when nothing was ever stored for this room (it must be initialised). */
  readonly isNew: boolean;
}

export interface RoomStorage {
  /**
   * Appends updates; resolves only once they are durable (fsynced). Calls are made one at a
   * time by the room, never concurrently.
   */
  append(updates: readonly Uint8Array[]): Promise<void>;
  /** Bytes appended since the last compaction: the room compacts when this grows too large. */
  readonly logBytes: number;
  /**
   * Replaces everything stored with `state` (a full Yjs state that contains every appended
   * update). A crash at any point leaves either the old or the new state loadable, never less.
   */
  compact(state: Uint8Array): Promise<void>;
  /** Releases file handles. Does not compact. */
  close(): Promise<void>;
}
