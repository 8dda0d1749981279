import * as Y from 'yjs';
import { createOrigin, type RoomId, type TransactionOrigin } from '@mixroom/shared/protocol';
import type { Logger } from '../log/Logger.ts';
import type { RoomStore } from './persistence/RoomStore.ts';
import { Room, RoomFullError } from './Room.ts';

/** Fills a brand-new room's document (runs inside a transaction with a `server` origin). */
/** Fills a brand-new room's doc; `prepared` is what `prepareNewRoom` read for it (async reads happen there). */
export type InitRoom = (doc: Y.Doc, roomId: RoomId, prepared?: unknown) => void;

/**
 * Runs on every load of a room, new or restored, once its stored state is applied and it
 * persists and relays, and again on every wake from hibernation (see `Room`): brings an old
 * document up to the current schema and attaches observers (e.g. invariant repair after
 * merges). Returns the observers' disposer, called when the room hibernates or unloads.
 * Writes must carry the given `server` origin.
 */
export type OpenRoom = (doc: Y.Doc, roomId: RoomId, origin: TransactionOrigin) => () => void;

/** A reference that keeps a room loaded; call `release` exactly once. */
export interface RoomLease {
  readonly room: Room;
  release(): void;
}

interface Entry {
  refs: number;
  loading: Promise<Room>;
  /** Set as soon as the room object exists, so a failure during loading finds its entry. */
  room: Room | null;
  idleTimer: NodeJS.Timeout | null;
}

export interface RoomRegistryOptions {
  readonly store: RoomStore;
  readonly initRoom: InitRoom;
  /** Reads what `initRoom` needs for a brand-new room (e.g. its title from the auth store). */
  readonly prepareNewRoom?: (roomId: RoomId) => Promise<unknown>;
  /** Optional hook run on every load; see {@link OpenRoom}. */
  readonly openRoom?: OpenRoom;
  readonly logger: Logger;
  readonly idleUnloadMs: number;
  /** A loaded room drops its Y.Doc after this long without a change (see `Room`); absent = never. */
  readonly hibernateAfterMs?: number;
  /** Seconds each wake from hibernation took (metrics). */
  readonly observeWake?: (seconds: number) => void;
  readonly compactLogBytes: number;
  /** Client updates that would grow a room's doc past this are refused (see `Room.admits`). */
  readonly maxRoomBytes?: number;
  /** Each relayed update's time from reaching the server to its relay, in seconds (metrics). */
  readonly observeRelay?: (seconds: number) => void;
}

/**
 * Loads rooms on first use and unloads them after `idleUnloadMs` without any lease.
 *
 * Lifecycle of a room id: absent -> loading -> loaded -> unloading -> absent. A room is removed
 * from `entries` in the same synchronous step that registers its unload in `unloading`, and a
 * load first waits for any unload of the same id to finish. So a connection arriving while a
 * room is being saved waits, then loads the saved state: a room is never loaded twice at once
 * and an unload never races a load.
 */
export class RoomRegistry {
  private readonly entries = new Map<RoomId, Entry>();
  private readonly unloading = new Map<RoomId, Promise<void>>();
  private readonly initOrigin = createOrigin('server', 'room-init');
  private readonly openOrigin = createOrigin('server', 'room-open');
  private closed = false;

  constructor(private readonly options: RoomRegistryOptions) {}

  /** Number of rooms currently in memory (loading or loaded). */
  get size(): number {
    return this.entries.size;
  }

  /** Loaded rooms holding no Y.Doc right now (see `Room`). */
  get hibernatingCount(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.room?.isHibernating) n += 1;
    return n;
  }

  /** Sockets connected to rooms of this registry (the sockets metric). */
  get peerCount(): number {
    let n = 0;
    for (const entry of this.entries.values()) n += entry.room?.peers.size ?? 0;
    return n;
  }

  /**
   * Resolves once every change applied so far to every loaded room is durable (and relayed):
   * a draining node flushes before it closes its sockets.
   */
  async flush(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.room?.whenDurable().catch(() => undefined)));
  }

  /** True when the room is loaded (or loading) in memory. */
  isLoaded(roomId: RoomId): boolean {
    return this.entries.has(roomId);
  }

  /** Resolves when the room is not being unloaded (tests and shutdown use it). */
  async whenUnloaded(roomId: RoomId): Promise<void> {
    await this.unloading.get(roomId);
  }

  /** Loads the room if needed and holds it in memory until the lease is released. */
  async acquire(roomId: RoomId): Promise<RoomLease> {
    if (this.closed) throw new Error('room registry is closed');
    let entry = this.entries.get(roomId);
    if (!entry) {
      // `loading` is set right below: load() needs the entry to record its room early.
      const fresh = { refs: 0, room: null, idleTimer: null } as Omit<Entry, 'loading'> as Entry;
      fresh.loading = this.load(roomId, fresh);
      this.entries.set(roomId, fresh);
      fresh.loading.catch(() => {
        if (this.entries.get(roomId) === fresh) this.entries.delete(roomId);
      });
      entry = fresh;
    }
    // Counted before awaiting, so an idle timer can never unload a room someone is joining.
    const held = entry;
    held.refs += 1;
    if (held.idleTimer) {
      clearTimeout(held.idleTimer);
      held.idleTimer = null;
    }
    let room: Room;
    try {
      room = await held.loading;
    } catch (error) {
      held.refs -= 1;
      throw error;
    }
    let released = false;
    return {
      room,
      release: () => {
        if (released) return;
        released = true;
        this.release(roomId, held);
      },
    };
  }

  /**
   * Runs `fn` on the room's live document, loading the room if needed. Write with the given
   * `server` origin (`doc.transact(() => ..., origin)` or a shared/ops mutation): the change is
   * persisted and relayed to every connected client exactly like a client's update. Resolves
   * with `fn`'s result once the change is durable (and relayed).
   */
  async withRoom<T>(
    roomId: RoomId,
    fn: (doc: Y.Doc, origin: TransactionOrigin) => T,
    /** `grows`: about how many bytes `fn` adds; refused with RoomFullError when they do not fit. */
    options: { readonly actor?: string; readonly signal?: AbortSignal; readonly grows?: number } = {},
  ): Promise<T> {
    options.signal?.throwIfAborted();
    const lease = await this.acquire(roomId);
    try {
      options.signal?.throwIfAborted();
      const { room } = lease;
      if (options.grows !== undefined && !room.hasRoomFor(options.grows)) throw new RoomFullError(room.maxRoomBytes!);
      const result = fn(lease.room.doc, createOrigin('server', options.actor ?? 'server'));
      await lease.room.whenDurable();
      return result;
    } finally {
      lease.release();
    }
  }

  /**
   * Re-checks the access of every connected peer of every loaded room (see
   * `Peer.reauthorize`): called when an invite is revoked, a role changes or a session ends,
   * so the change holds on open sockets before the next frame is read.
   */
  recheckPeers(): void {
    for (const entry of this.entries.values()) {
      for (const peer of [...(entry.room?.peers ?? [])]) peer.reauthorize?.();
    }
  }

  /** Unloads every room (flushing and compacting each) and refuses new leases. */
  async close(): Promise<void> {
    this.closed = true;
    const ids = [...this.entries.keys()];
    await Promise.all(
      ids.map(async (id) => {
        const entry = this.entries.get(id);
        if (!entry) return;
        try {
          await entry.loading;
        } catch {
          return;
        }
        this.unload(id, entry, true);
      }),
    );
    await Promise.all(this.unloading.values());
  }

  private async load(roomId: RoomId, entry: Entry): Promise<Room> {
    // Wait for a previous incarnation of this room to finish saving.
    while (this.unloading.has(roomId)) await this.unloading.get(roomId);
    const { store, logger, compactLogBytes } = this.options;
    const opened = await store.open(roomId);
    const prepared = opened.isNew && this.options.prepareNewRoom ? await this.options.prepareNewRoom(roomId) : undefined;
    const room = new Room(roomId, opened.storage, {
      compactLogBytes,
      logger,
      ...(this.options.observeRelay ? { observeRelay: this.options.observeRelay } : {}),
      onFailed: (failed) => this.forget(roomId, failed),
      ...(this.options.hibernateAfterMs !== undefined ? { hibernateAfterMs: this.options.hibernateAfterMs } : {}),
      ...(this.options.observeWake ? { observeWake: this.options.observeWake } : {}),
      ...(this.options.maxRoomBytes !== undefined ? { maxRoomBytes: this.options.maxRoomBytes } : {}),
    });
    entry.room = room;
    try {
      room.restore(opened.updates);
      room.start();
      if (opened.isNew) {
        // Built on a scratch doc so an initRoom that throws halfway leaves nothing behind.
        const scratch = new Y.Doc();
        scratch.transact(() => this.options.initRoom(scratch, roomId, prepared), this.initOrigin);
        Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(scratch), this.initOrigin);
        scratch.destroy();
      }
      const { openRoom } = this.options;
      if (openRoom) room.attach((doc) => openRoom(doc, roomId, this.openOrigin));
    } catch (error) {
      entry.room = null;
      // Release the files so a later attempt can open the room again.
      await room.shutdown().catch(() => undefined);
      throw error;
    }
    logger.info('room loaded', { roomId, storedUpdates: opened.updates.length, isNew: opened.isNew });
    return room;
  }

  private release(roomId: RoomId, entry: Entry): void {
    entry.refs -= 1;
    if (entry.refs > 0 || this.entries.get(roomId) !== entry) return;
    entry.idleTimer = setTimeout(() => this.unload(roomId, entry, false), this.options.idleUnloadMs);
    entry.idleTimer.unref();
  }

  private unload(roomId: RoomId, entry: Entry, force: boolean): void {
    if (this.entries.get(roomId) !== entry || !entry.room) return;
    if (!force && entry.refs > 0) return;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    const room = entry.room;
    this.entries.delete(roomId);
    const done = room
      .shutdown()
      .then(() => this.options.logger.info('room unloaded', { roomId }))
      .catch((error: unknown) =>
        this.options.logger.error('room unload failed', { roomId, error: String(error) }),
      )
      .finally(() => {
        if (this.unloading.get(roomId) === done) this.unloading.delete(roomId);
      });
    this.unloading.set(roomId, done);
  }

  /** A failed room is dropped without compaction: its memory may hold non-durable changes. */
  private forget(roomId: RoomId, room: Room): void {
    const entry = this.entries.get(roomId);
    if (entry?.room === room) {
      if (entry.idleTimer) clearTimeout(entry.idleTimer);
      this.entries.delete(roomId);
      const done = room
        .shutdown()
        .catch(() => undefined)
        .finally(() => {
          if (this.unloading.get(roomId) === done) this.unloading.delete(roomId);
        });
      this.unloading.set(roomId, done);
    }
  }
}
