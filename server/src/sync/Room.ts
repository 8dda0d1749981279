import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, CLOSE_REASONS, createOrigin, MESSAGE_TYPES, type RoomId } from '@mixroom/shared/protocol';
import type { Logger } from '../log/Logger.ts';
import type { RoomStorage } from './persistence/RoomStore.ts';
import { overlongKeyName } from './overlongKeyName.ts';
import type { Peer } from './Peer.ts';
import { PresenceBatch } from './PresenceBatch.ts';
import { DEFAULT_PRESENCE_LIMITS } from './PresenceLimits.ts';
import { REMOTE_PRESENCE_ORIGIN, RoomPresence } from './RoomPresence.ts';

/** Origin of updates other cluster nodes made durable: relayed at once, never appended again. */
export const REMOTE_NODE_ORIGIN = createOrigin('remote', 'cluster-node');
/** Origin of the whole state appended again after the shared store lost data: not relayed. */
const RESTORE_ORIGIN = createOrigin('server', 'store-restore');
/**
 * Presence changes are relayed once per this many ms per room: a person's cursor moving at
 * 30 Hz among 10 others is one frame per tick to each socket, not one per change.
 */
export const PRESENCE_TICK_MS = 16;
/**
 * In a cluster, how long a client's update that lacks dependencies waits for this node to read
 * them from the room's stream (a client that moved from another node has seen what that node
 * relayed, which this one may read a moment later) before it is refused with 4422.
 */
export const MISSING_DEPENDENCY_WAIT_MS = 3000;

/** A room's size is measured at most once per this many times the last measure took. */
export const MEASURE_IDLE_FACTOR = 20;

interface AwaitingUpdate {
  readonly update: Uint8Array;
  readonly origin: unknown;
  readonly peer: Peer;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly settle: (applied: boolean) => void;
}

interface PendingUpdate {
  readonly update: Uint8Array;
  readonly origin: unknown;
  /** performance.now() when it reached the doc (the relay-latency metric). */
  readonly at: number;
}

interface DurableWaiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * What a hibernating room keeps instead of its Y.Doc: its durable state as one Yjs V2 update
 * (129 KB for `pnpm bench hibernate`'s 1-hour room, whose live doc holds 20 MiB of heap), its
 * state vector for the server's sync step 1, and its snapshot (state vector + delete set, V2)
 * to tell whether a client's update brings anything new.
 */
interface Hibernated {
  readonly state: Uint8Array;
  readonly stateVector: Uint8Array;
  readonly snapshot: Uint8Array;
}

/** A server write that would take a room past its size limit (see `RoomRegistry.withRoom`). */
export class RoomFullError extends Error {
  override readonly name = 'RoomFullError';
  constructor(readonly maxRoomBytes: number) {
    super(`room at its size limit (${maxRoomBytes} bytes)`);
  }
}

/** The room's log could not be written: it is closed and will reload from disk. */
export class RoomFailedError extends Error {
  override readonly name = 'RoomFailedError';
}

/**
 * One live room: its Y.Doc, its awareness and its peers.
 *
 * Durability before relay: every change to the doc (a client's update, a server write) is
 * caught by the doc's `update` event and queued. A single drain loop appends the queued
 * updates to storage in one write + fsync (group commit) and only then relays them to the
 * other peers. A reply to a peer's sync step 1 is also held until everything applied before it
 * is durable, so no client ever sees state a crash could take back.
 *
 * The same loop compacts the log into a snapshot when it grows past `compactLogBytes`, so an
 * append and a compaction never overlap.
 *
 * Hibernation (the y-redis approach): once the doc has seen no change for `hibernateAfterMs`
 * and everything is durable, the room drops its Y.Doc and its `open` observers while its
 * sockets stay; presence lives on a doc of its own and keeps working. A joiner's sync step 1
 * is answered from the kept V2 state (`Y.diffUpdateV2`), and a client's update that brings
 * nothing new (a reconnecting client's step 2) is acknowledged without a doc. Anything else
 * that needs the doc (an edit, a server write through `doc`, another node's update) wakes the
 * room synchronously first: the doc is rebuilt from that state and `open` runs again, so the
 * frame is handled exactly as in an awake room and frames after it stay in order.
 */
export class Room {
  /** Null while hibernating; see {@link doc}. */
  private live: Y.Doc | null = new Y.Doc();
  private hibernated: Hibernated | null = null;
  private lastChangeAt = performance.now();
  private hibernateTimer: NodeJS.Timeout | null = null;
  private opener: ((doc: Y.Doc) => () => void) | null = null;
  private closeObservers: (() => void) | null = null;
  /** Presence does not need the mix: it hangs on an empty doc of its own, kept while hibernating. */
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
  readonly peers = new Set<Peer>();
  /** Who may write which presence, stamped how, how often (see RoomPresence). */
  readonly presence = new RoomPresence(this.awareness, DEFAULT_PRESENCE_LIMITS);

  private readonly queue: PendingUpdate[] = [];
  /** Client updates waiting for dependencies another node has (cluster mode only). */
  private readonly awaiting: AwaitingUpdate[] = [];
  private waiters: DurableWaiter[] = [];
  private appliedSeq = 0;
  private durableSeq = 0;
  private draining: Promise<void> | null = null;
  private failure: RoomFailedError | null = null;
  private closing = false;
  private readonly unlink: Array<() => void> = [];
  private readonly presenceBatch = new PresenceBatch(this.awareness);
  private presenceTimer: NodeJS.Timeout | null = null;
  /** performance.now() when the pending presence batch began (its tick started). */
  private presenceSince = 0;
  /** The tick's timer fired in a busy room and waits for the next relay (see presenceTick). */
  private presenceDeferred = false;
  /** performance.now() of the last relay of updates. */
  private lastRelayAt = -Infinity;
  /**
   * The doc's size (Yjs V1) as last measured, and the bytes of every update since: their sum
   * bounds what a joiner's first sync and the next snapshot hold (see {@link admits}).
   */
  private measuredBytes = 0;
  private grownBytes = 0;
  /** performance.now() before which the doc is not measured again (see {@link admits}). */
  private nextMeasureAt = 0;

  constructor(
    readonly id: RoomId,
    private readonly storage: RoomStorage,
    private readonly options: {
      readonly compactLogBytes: number;
      /** Seconds from an update reaching the doc to its relay (after it is durable). */
      readonly observeRelay?: (seconds: number) => void;
      readonly logger: Logger;
      /** Called once if storage fails; the registry forgets the room. */
      readonly onFailed: (room: Room) => void;
      /** Drop the doc after this long without a change (see the class comment); absent = never. */
      readonly hibernateAfterMs?: number;
      /** Seconds a wake took (rebuilding the doc and running `open`), for metrics and benches. */
      readonly observeWake?: (seconds: number) => void;
      /** Client updates that would take the doc past this many bytes are refused; absent = no limit. */
      readonly maxRoomBytes?: number;
    },
  ) {
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
  }

  /**
   * The live document; reading it wakes a hibernating room first, so every caller (server
   * writes, version snapshots, repair) sees the whole state exactly as before.
   */
  get doc(): Y.Doc {
    return this.live ?? this.wake();
  }

  /** True while the room holds no Y.Doc. */
  get isHibernating(): boolean {
    return this.live === null;
  }

  /**
   * Runs `open` on the doc now and again on every wake (migrations, repair observers); its
   * disposer runs when the room hibernates or shuts down.
   */
  attach(open: (doc: Y.Doc) => () => void): void {
    this.opener = open;
    this.closeObservers = open(this.doc);
  }

  /** Sync step 2 for a client whose state vector is `stateVector`: what it lacks (Yjs V1). */
  encodeStateAsUpdate(stateVector: Uint8Array): Uint8Array {
    if (this.live) return Y.encodeStateAsUpdate(this.live, stateVector);
    return Y.convertUpdateFormatV2ToV1(Y.diffUpdateV2(this.hibernated!.state, stateVector));
  }

  /** The room's state vector (the server's sync step 1). */
  encodeStateVector(): Uint8Array {
    return this.live ? Y.encodeStateVector(this.live) : this.hibernated!.stateVector;
  }

  /**
   * What a client's `update` (Yjs V1) asks of the room, judged the same awake or asleep and
   * before any of it is applied: `unreadable` when it does not decode to its end (Yjs
   * integrates an update's structs before it reads its delete set, so a truncated one applied
   * as is left its first part in the doc and the log of an awake room, while a hibernating one
   * refused it whole); `held` when a hibernating room's kept state already has all of it
   * (acknowledged without waking: garbage or a replay must not buy a rebuild of the doc);
   * `overlong-key` when it names a map key or a top-level type longer than MAX_KEY_NAME_CHARS
   * (a name outlives its entry's deletion); `new` otherwise (the caller applies it to
   * {@link doc}, which wakes a hibernating room).
   */
  judgeUpdate(update: Uint8Array): 'held' | 'new' | 'unreadable' | 'overlong-key' {
    try {
      if (this.hibernated && Y.snapshotContainsUpdate(Y.decodeSnapshotV2(this.hibernated.snapshot), update)) return 'held';
      // The check above stops at the first new struct; the whole update must decode.
      return overlongKeyName(Y.decodeUpdate(update).structs) === null ? 'new' : 'overlong-key';
    } catch {
      return 'unreadable';
    }
  }

  /**
   * Rebuilds the doc from the kept state and runs `open` again. Synchronous, so the frame or
   * write that needed the doc, and everything queued behind it, runs in order.
   */
  private wake(): Y.Doc {
    const { hibernated } = this;
    if (!hibernated) throw new Error('a room without a doc must be hibernating');
    const startedAt = performance.now();
    const cpuAt = process.cpuUsage();
    const doc = new Y.Doc();
    // Before the listener: the kept state is durable already and must not be appended again.
    Y.applyUpdateV2(doc, hibernated.state);
    const appliedAt = performance.now();
    this.live = doc;
    this.hibernated = null;
    doc.on('update', this.onDocUpdate);
    if (this.opener) this.closeObservers = this.opener(doc);
    this.lastChangeAt = performance.now();
    this.armHibernation();
    const tookMs = performance.now() - startedAt;
    this.options.observeWake?.(tookMs / 1000);
    // The two steps apart (rebuilding the doc, the open hook), and the CPU of all the process's
    // threads (V8's GC helpers too): on a loaded machine the wall time is mostly waiting.
    const ms = (x: number) => Math.round(x * 10) / 10;
    const cpu = process.cpuUsage(cpuAt);
    this.options.logger.debug('room woke', { roomId: this.id, stateBytes: hibernated.state.byteLength, tookMs: ms(tookMs), applyMs: ms(appliedAt - startedAt), openMs: ms(this.lastChangeAt - appliedAt), cpuMs: ms((cpu.user + cpu.system) / 1000) });
    return doc;
  }

  /** (Re)starts the hibernation check; a no-op when hibernation is off or already armed. */
  private armHibernation(): void {
    const after = this.options.hibernateAfterMs;
    if (after === undefined || this.hibernateTimer !== null || this.failure || this.closing) return;
    const wait = Math.max(0, after - (performance.now() - this.lastChangeAt));
    this.hibernateTimer = setTimeout(() => {
      this.hibernateTimer = null;
      this.tryHibernate();
    }, wait);
    this.hibernateTimer.unref();
  }

  /**
   * Drops the doc if it saw no change for `hibernateAfterMs` and holds nothing that is not
   * durable yet; otherwise checks again later.
   */
  private tryHibernate(): void {
    const doc = this.live;
    if (!doc || this.failure || this.closing) return;
    const quietFor = performance.now() - this.lastChangeAt;
    const busy = this.queue.length > 0 || this.draining !== null || this.awaiting.length > 0 || this.waiters.length > 0 || this.durableSeq < this.appliedSeq;
    if (busy || quietFor < this.options.hibernateAfterMs!) {
      if (busy) this.lastChangeAt = performance.now();
      return this.armHibernation();
    }
    this.discardPending();
    this.closeObservers?.();
    this.closeObservers = null;
    doc.off('update', this.onDocUpdate);
    const state = Y.encodeStateAsUpdateV2(doc);
    this.hibernated = { state, stateVector: Y.encodeStateVector(doc), snapshot: Y.encodeSnapshotV2(Y.snapshot(doc)) };
    this.live = null;
    doc.destroy();
    this.options.logger.debug('room hibernated', { roomId: this.id, stateBytes: state.byteLength });
  }

  /** The size limit clients' updates are held to (see {@link admits}), or undefined. */
  get maxRoomBytes(): number | undefined {
    return this.options.maxRoomBytes;
  }

  /**
   * False when a client's `update` (Yjs V1) would take the room past `maxRoomBytes`. Cheap
   * while the last measured size plus the updates since leaves room for it; otherwise the doc
   * is measured again (deletions and overwrites may have shrunk it). A measure is one encode of
   * the whole doc (325 ms of CPU for a 44 MB doc), so it runs at most once per
   * {@link MEASURE_IDLE_FACTOR} times its own cost: tiny edits in a nearly full room cannot keep
   * the node busy encoding. An update of deletions only always fits: it is how a full room
   * frees space. Updates from the server and other nodes are never refused, only counted.
   */
  admits(update: Uint8Array): boolean {
    if (this.hasRoomFor(update.byteLength)) return true;
    try {
      return Y.decodeUpdate(update).structs.length === 0;
    } catch {
      return false; // unreadable and over the limit anyway
    }
  }

  /** True when the doc can grow by `bytes` within `maxRoomBytes` (see {@link admits}). */
  hasRoomFor(bytes: number): boolean {
    const max = this.options.maxRoomBytes;
    if (max === undefined || this.measuredBytes + this.grownBytes + bytes <= max) return true;
    if (this.grownBytes > 0 && performance.now() >= this.nextMeasureAt) {
      const startedAt = performance.now();
      this.measuredBytes = this.encodeState().byteLength;
      this.grownBytes = 0;
      this.nextMeasureAt = performance.now() + MEASURE_IDLE_FACTOR * (performance.now() - startedAt);
      return this.measuredBytes + bytes <= max;
    }
    return false;
  }

  /** The whole state as one Yjs V1 update, without waking a hibernating room. */
  private encodeState(): Uint8Array {
    return this.live ? Y.encodeStateAsUpdate(this.live) : Y.convertUpdateFormatV2ToV1(this.hibernated!.state);
  }

  /** Applies stored updates without logging them again; call before {@link start}. */
  restore(updates: readonly Uint8Array[]): void {
    // An upper bound (the log may repeat what the snapshot holds): measured once it matters.
    for (const update of updates) this.grownBytes += update.byteLength;
    Y.transact(this.doc, () => {
      for (const [index, update] of updates.entries()) {
        try {
          Y.applyUpdate(this.doc, update);
        } catch (error) {
          // Only updates the live doc emitted are stored, so this should not happen; if it
          // does, one bad record must not make the whole room unloadable.
          this.options.logger.error('stored update failed to apply; skipped', {
            roomId: this.id,
            index,
            error: String(error),
          });
        }
      }
    });
    if (this.discardPending()) {
      this.options.logger.error('stored updates left changes with missing dependencies; dropped them', { roomId: this.id });
    }
  }

  /**
   * Drops structs and deletions Yjs holds back because their dependencies are missing; true
   * when there were any. The room never keeps them: the sync protocol would serve them to every
   * joiner while they never apply.
   */
  discardPending(): boolean {
    if (!this.live) return false;
    const { store } = this.live;
    if (store.pendingStructs === null && store.pendingDs === null) return false;
    store.pendingStructs = null;
    store.pendingDs = null;
    return true;
  }

  /** Starts persisting and relaying changes (and, in a cluster, taking in other nodes'). */
  start(): void {
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.armHibernation();
    const link = this.storage.link;
    if (!link) return;
    this.unlink.push(
      link.onRemoteUpdates((updates) => {
        if (this.failure) return;
        Y.transact(this.doc, () => {
          for (const update of updates) {
            try {
              Y.applyUpdate(this.doc, update, REMOTE_NODE_ORIGIN);
            } catch (error) {
              this.options.logger.error('update from another node failed to apply', { roomId: this.id, error: String(error) });
            }
          }
        }, REMOTE_NODE_ORIGIN);
        if (this.discardPending()) {
          this.options.logger.error('updates from another node lack their dependencies; dropped them', { roomId: this.id });
        }
        if (this.awaiting.length > 0) this.retryAwaiting();
      }),
      link.onRemotePresence((update) => {
        if (update !== null) return this.presence.receiveRemote(update);
        // A node just opened the room: it needs our peers' presence.
        const local = this.presence.encodeLocal();
        if (local !== null) link.publishPresence(local);
      }),
      link.onStoreLost(() => {
        if (this.failure) return;
        this.options.logger.warn('shared store may have lost updates; appending the room again', { roomId: this.id });
        this.enqueue(this.encodeState(), RESTORE_ORIGIN);
      }),
    );
  }

  addPeer(peer: Peer): void {
    this.peers.add(peer);
  }

  removePeer(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.presence.removePeer(peer);
    for (const entry of this.awaiting.filter((e) => e.peer === peer)) this.settleAwaiting(entry, false);
  }

  /**
   * A client's update left structs whose dependencies this room lacks (already discarded). In a
   * cluster those may be in the room's stream, not yet read here: resolves true once the update
   * applies whole after later remote updates, false after {@link MISSING_DEPENDENCY_WAIT_MS}.
   * Null outside a cluster (nothing else can supply them). Nothing pending stays in the doc.
   */
  awaitMissingDependencies(update: Uint8Array, origin: unknown, peer: Peer): Promise<boolean> | null {
    if (!this.storage.link || this.failure) return null;
    return new Promise((settle) => {
      const entry: AwaitingUpdate = { update, origin, peer, settle, timer: setTimeout(() => this.settleAwaiting(entry, false), MISSING_DEPENDENCY_WAIT_MS) };
      this.awaiting.push(entry);
    });
  }

  private settleAwaiting(entry: AwaitingUpdate, applied: boolean): void {
    const at = this.awaiting.indexOf(entry);
    if (at === -1) return;
    this.awaiting.splice(at, 1);
    clearTimeout(entry.timer);
    entry.settle(applied);
  }

  /** After remote or client updates: applies the awaiting client updates whose dependencies arrived. */
  retryAwaiting(): void {
    if (this.awaiting.length === 0) return;
    for (const entry of [...this.awaiting]) {
      try {
        Y.applyUpdate(this.doc, entry.update, entry.origin);
      } catch {
        this.discardPending();
        this.settleAwaiting(entry, false);
        continue;
      }
      if (!this.discardPending()) this.settleAwaiting(entry, true);
    }
  }

  /** Resolves once every change applied so far is durable; rejects if the room failed. */
  whenDurable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durableSeq >= this.appliedSeq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq: this.appliedSeq, resolve, reject }));
  }

  /** Sends `frame` to every peer except `except`. */
  broadcast(frame: Uint8Array, except?: Peer): void {
    for (const peer of this.peers) if (peer !== except) peer.send(frame);
  }

  /** Sends the presence changes of the last tick (see PRESENCE_TICK_MS) at once. */
  flushPresence(): void {
    if (this.presenceTimer !== null) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    this.presenceDeferred = false;
    const tick = this.presenceBatch.take();
    if (tick === null) return;
    // Our own peers' presence (and removals) go to the other nodes; theirs came from there.
    if (tick.local !== null) this.storage.link?.publishPresence(tick.local);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPES.awareness);
    encoding.writeVarUint8Array(encoder, tick.all);
    const frame = encoding.toUint8Array(encoder);
    // Sent to the author too: the y-websocket client reconnects after 30 s without any
    // message, and a lone client's own awareness echo is what keeps it alive.
    for (const peer of this.peers) {
      if (peer.sendPresence) peer.sendPresence(frame);
      else peer.send(frame);
    }
  }

  /**
   * Flushes, compacts when anything was logged since the last snapshot, and releases storage.
   * Peers must already be gone. Never call twice.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    if (this.hibernateTimer !== null) clearTimeout(this.hibernateTimer);
    this.hibernateTimer = null;
    this.closeObservers?.();
    this.closeObservers = null;
    for (const entry of [...this.awaiting]) this.settleAwaiting(entry, false);
    this.live?.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    // The last peers' removals still go to the other nodes.
    this.flushPresence();
    for (const dispose of this.unlink.splice(0)) dispose();
    this.presence.dispose();
    try {
      if (!this.failure) {
        await this.drain();
        if (!this.failure && this.storage.logBytes > 0) {
          // A hibernating room compacts its kept state: no need to rebuild the doc for it.
          await this.storage.compact(this.encodeState());
        }
      }
    } finally {
      this.awareness.destroy();
      this.awareness.doc.destroy();
      this.live?.destroy();
      await this.storage.close();
    }
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.failure) return;
    this.lastChangeAt = performance.now();
    this.grownBytes += update.byteLength;
    // Already durable (another node appended it before anyone relayed it): nothing to time.
    if (origin === REMOTE_NODE_ORIGIN) return this.relay([{ update, origin, at: Number.NaN }]);
    this.enqueue(update, origin);
  };

  private enqueue(update: Uint8Array, origin: unknown): void {
    this.queue.push({ update, origin, at: performance.now() });
    this.appliedSeq += 1;
    // A microtask lets every update of the current tick join one write.
    if (this.draining === null) this.draining = Promise.resolve().then(() => this.drainLoop());
  }

  private drain(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  private async drainLoop(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.failure) {
        const batch = this.queue.splice(0);
        await this.storage.append(batch.map((p) => p.update));
        this.durableSeq += batch.length;
        this.relay(batch);
        this.resolveWaiters();
        if (this.storage.logBytes >= this.options.compactLogBytes) {
          // The snapshot may also hold updates still queued; they are appended again next
          // round, which is harmless: applying a Yjs update twice is a no-op.
          const state = Y.encodeStateAsUpdate(this.doc);
          // The size is exact again, plus whatever arrives while the snapshot is written.
          this.measuredBytes = state.byteLength;
          this.grownBytes = 0;
          await this.storage.compact(state);
        }
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.draining = null;
    }
  }

  private relay(batch: readonly PendingUpdate[]): void {
    const relayedAt = performance.now();
    this.lastRelayAt = relayedAt;
    for (const { update, origin, at } of batch) {
      if (origin === RESTORE_ORIGIN) continue;
      if (!Number.isNaN(at)) this.options.observeRelay?.((relayedAt - at) / 1000);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_TYPES.sync);
      syncProtocol.writeUpdate(encoder, update);
      const frame = encoding.toUint8Array(encoder);
      for (const peer of this.peers) if (peer.origin !== origin) peer.send(frame);
    }
    // A tick half gone rides along: each socket then gets its updates and presence in one
    // write (a loaded node spent a fifth of its time in writev, one per socket per turn).
    if (this.presenceTimer !== null && (this.presenceDeferred || relayedAt - this.presenceSince >= PRESENCE_TICK_MS / 2)) this.flushPresence();
  }

  private resolveWaiters(): void {
    const still: DurableWaiter[] = [];
    for (const w of this.waiters) (w.seq <= this.durableSeq ? w.resolve() : still.push(w));
    this.waiters = still;
  }

  /**
   * Storage failed: memory now holds changes that may not be durable. Drop them by closing
   * every peer (their clients resend what the server lacks on reconnect, via sync step 2)
   * and let the registry reload the room from disk.
   */
  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = new RoomFailedError(`room ${this.id} storage failed`, { cause: error });
    this.options.logger.error('room storage failed; closing its connections', {
      roomId: this.id,
      error: String(error),
    });
    for (const w of this.waiters) w.reject(this.failure);
    this.waiters = [];
    for (const entry of [...this.awaiting]) this.settleAwaiting(entry, false);
    for (const peer of [...this.peers]) {
      peer.close(CLOSE_CODES.roomUnavailable, CLOSE_REASONS[CLOSE_CODES.roomUnavailable]);
    }
    if (this.hibernateTimer !== null) clearTimeout(this.hibernateTimer);
    this.hibernateTimer = null;
    this.options.onFailed(this);
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    this.presenceBatch.add([...added, ...updated], removed, origin !== REMOTE_PRESENCE_ORIGIN);
    this.presence.forgetRemote(removed);
    if (this.presenceTimer === null) {
      this.presenceSince = performance.now();
      this.presenceTimer = setTimeout(this.presenceTick, PRESENCE_TICK_MS);
    }
  };

  /**
   * A presence tick is due. In a room whose updates are being written to the log, or that
   * relayed some within the last tick, the next relay (likely within a tick) carries it: each
   * socket then gets one write for both instead of two, and writes were a third of a loaded
   * node's time, one per socket per frame. At most one tick later it goes on its own.
   */
  private readonly presenceTick = (): void => {
    const busy = this.draining !== null || performance.now() - this.lastRelayAt < PRESENCE_TICK_MS;
    if (busy && !this.presenceDeferred && !this.failure) {
      this.presenceDeferred = true;
      this.presenceTimer = setTimeout(this.presenceTick, PRESENCE_TICK_MS);
      return;
    }
    this.flushPresence();
  };
}
