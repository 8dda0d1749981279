import type { RoomId } from '@mixroom/shared/protocol';

/**
 * Durable storage of rooms' Yjs documents, as seen by the sync server. The embedded default is
 * `LocalRoomStore` (per-room append-only log + snapshots on the local disk, made durable by one
 * write-ahead log for every room); cluster mode uses
 * `RedisRoomStore` (a Redis stream per room, snapshots in S3, other nodes' updates and presence
 * through `RoomStorage.link`). The sync code only relies on the contract below.
 */
export interface RoomStore {
  /** Prepares the store (creates folders, checks it is writable). Ready for `open` after. */
  start(): Promise<void>;
  /**
   * Opens one room's storage and returns everything stored for it. The registry guarantees at
   * most one open handle per room per process at any time.
   */
  open(roomId: RoomId): Promise<OpenedRoom>;
  /** Releases what `start` opened (after every room's storage is closed). */
  stop?(): Promise<void>;
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
  /** Present when other processes serve the same room (cluster mode); see {@link RoomLink}. */
  readonly link?: RoomLink;
}

/**
 * What other sync nodes do in one room. Their updates arrive already durable (they were
 * appended before any node relays them), so the room applies and relays them without appending
 * them again. Presence crosses nodes too, best-effort (it is renewed every 15 s anyway).
 */
export interface RoomLink {
  /** Updates other nodes made durable, in the order they were stored. Returns the disposer. */
  onRemoteUpdates(listener: (updates: readonly Uint8Array[]) => void): () => void;
  /** Sends an awareness update of this node's own peers to the other nodes. */
  publishPresence(update: Uint8Array): void;
  /**
   * Presence from other nodes: an awareness update, or (`update` null) a node that just opened
   * the room asking everyone for their peers' presence. Returns the disposer.
   */
  onRemotePresence(listener: (update: Uint8Array | null) => void): () => void;
  /**
   * The shared store may have lost recent updates (Redis restarted without its append-only
   * file): the room appends its whole state again. Returns the disposer.
   */
  onStoreLost(listener: () => void): () => void;
}
