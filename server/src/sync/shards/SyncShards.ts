import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { CLOSE_REASONS, createOrigin, type CloseCode, type RoomId, type TransactionOrigin } from '@mixroom/shared/protocol';
import { parseSyncDocName } from '@mixroom/shared/review';
import type { OriginPolicy } from '../../http/OriginPolicy.ts';
import type { Metrics } from '../../metrics/Metrics.ts';
import { admitSyncSocket, type SyncAdmissionDeps } from '../admitSyncSocket.ts';
import { SYNC_PATH_PREFIX } from '../handleSyncConnection.ts';
import { REJECT_DETAILED_PER_WINDOW, REJECT_WINDOW_MS, RejectLog } from '../RejectLog.ts';
import type { RoomDocs } from '../RoomDocs.ts';
import { ShardProcess } from './ShardProcess.ts';
import { shardOf } from './shardOf.ts';

/** A room doc's mirror is dropped after this long unused (the next use fetches it whole). */
const MIRROR_IDLE_MS = 30_000;
/** Origin of what the mirror receives from its shard (never sent back). */
const FROM_SHARD_ORIGIN = Symbol('from-shard');

export interface SyncShardsOptions extends SyncAdmissionDeps {
  readonly count: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly originPolicy: OriginPolicy;
  /** The title a brand-new room is created with (see mixRoomHooks). */
  readonly roomTitle: (roomId: RoomId) => Promise<string | null>;
  readonly metrics?: Metrics;
}

interface Mirror {
  readonly doc: Y.Doc;
  timer: NodeJS.Timeout | null;
}

/**
 * The primary's side of SYNC_SHARDS > 1: rooms run in `count` child processes (ShardProcess),
 * each owning the rooms whose id hashes to it (shardOf), over its own write-ahead log.
 *
 * Sockets: the primary admits every upgrade through admitSyncSocket, the admission
 * handleSyncConnection runs (Origin, room id, session and role, the user's socket cap), refuses
 * with its close codes, and hands an accepted socket, unanswered, to its room's shard with the
 * identity it decided.
 *
 * Room docs (review, stems, the demo seeding): `withRoom` runs its function on a mirror of the
 * room doc kept here, brought up to date from the shard first (the state since the mirror's
 * state vector), and sends what the function wrote to the shard as one update, applied there
 * with a server origin and resolved once durable and relayed. Functions stay closures of this
 * process; only bytes cross. A write races other writers as a client's does (CRDT merge), and
 * the room's open hooks (repairs) run on the live doc in the shard.
 */
export class SyncShards implements RoomDocs {
  private readonly shards: ShardProcess[];
  private readonly mirrors = new Map<string, Mirror>();
  // Refused upgrades are answered here (handshake, then the close code), as a shard would.
  private readonly refusals = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly rejects: RejectLog;

  constructor(private readonly options: SyncShardsOptions) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.env)) if (typeof value === 'string') env[key] = value;
    this.shards = Array.from(
      { length: options.count },
      (_, index) =>
        new ShardProcess({
          index,
          count: options.count,
          env,
          logger: options.logger,
          roomTitle: (roomId) => options.roomTitle(roomId as RoomId),
          onObservations: (relay, wake) => {
            for (const s of relay) options.metrics?.relaySeconds.observe(s);
            for (const s of wake) options.metrics?.wakeSeconds.observe(s);
          },
        }),
    );
    this.rejects = new RejectLog({ logger: options.logger, windowMs: REJECT_WINDOW_MS, detailedPerWindow: REJECT_DETAILED_PER_WINDOW });
  }

  /** Starts every shard; resolves once all take sockets. */
  async start(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.start()));
  }

  /** The shard processes (tests kill one; metrics). */
  get processes(): readonly ShardProcess[] {
    return this.shards;
  }

  /** The shard owning a sync document (`<room>` or `<room>~review`). */
  shardFor(docId: string): ShardProcess {
    return this.shards[shardOf(docId, this.shards.length)]!;
  }

  get size(): number {
    return this.shards.reduce((n, s) => n + s.stats.rooms, 0);
  }

  get hibernatingCount(): number {
    return this.shards.reduce((n, s) => n + s.stats.hibernating, 0);
  }

  get peerCount(): number {
    return this.shards.reduce((n, s) => n + s.stats.sockets, 0);
  }

  /** The sync endpoint's upgrade handler: checks, then hands the socket to its room's shard. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(SYNC_PATH_PREFIX)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // Nothing is read off the socket here: what the client sends belongs to the shard.
    socket.pause();
    const segment = path.slice(SYNC_PATH_PREFIX.length);
    const refuse = (code: CloseCode, detail?: string): void => {
      this.rejects.record({ roomId: segment.slice(0, 80), code, detail });
      // Paused above; the close handshake reads the client's answer.
      socket.resume();
      this.refusals.handleUpgrade(request, socket, head, (ws) => ws.close(code, CLOSE_REASONS[code]));
    };
    void (async () => {
      const admission = await admitSyncSocket(request, segment, this.options, () => socket.destroyed);
      if (!admission) return;
      if (!admission.ok) return refuse(admission.code, admission.detail);
      await this.shardFor(segment).handOver(request, socket as Socket, head, admission.identity, admission.release);
    })();
  }

  async withRoom<T>(
    roomId: RoomId,
    fn: (doc: Y.Doc, origin: TransactionOrigin) => T,
    options: { readonly actor?: string; readonly signal?: AbortSignal; readonly grows?: number } = {},
  ): Promise<T> {
    options.signal?.throwIfAborted();
    if (parseSyncDocName(roomId) === null) throw new Error(`invalid room id ${String(roomId).slice(0, 80)}`);
    const shard = this.shardFor(roomId);
    const mirror = this.mirror(roomId);
    try {
      const { update } = await shard.request('state', {
        docId: roomId,
        stateVector: Y.encodeStateVector(mirror.doc),
        ...(options.grows !== undefined ? { grows: options.grows } : {}),
      });
      Y.applyUpdate(mirror.doc, update, FROM_SHARD_ORIGIN);
      options.signal?.throwIfAborted();
      const actor = options.actor ?? 'server';
      const origin = createOrigin('server', actor);
      // fn runs synchronously: every update in between is its write.
      const written: Uint8Array[] = [];
      const capture = (u: Uint8Array): void => void written.push(u);
      mirror.doc.on('update', capture);
      let result: T;
      try {
        result = fn(mirror.doc, origin);
      } finally {
        mirror.doc.off('update', capture);
      }
      if (written.length > 0) await shard.request('apply', { docId: roomId, update: Y.mergeUpdates(written), actor });
      return result;
    } catch (error) {
      // The mirror may hold a write the shard never got: the next use starts afresh.
      this.dropMirror(roomId, mirror);
      throw error;
    } finally {
      this.idle(roomId, mirror);
    }
  }

  /** Access changed: every shard rechecks its sockets (each asks this process for the role). */
  recheckPeers(): void {
    for (const shard of this.shards) shard.send({ t: 'recheckPeers' });
  }

  /** Every shard flushes its rooms, closes its sockets (1001) and exits. */
  async close(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.close()));
    for (const [id, mirror] of this.mirrors) this.dropMirror(id, mirror);
    this.refusals.close();
    this.rejects.dispose();
  }

  private mirror(docId: string): Mirror {
    let mirror = this.mirrors.get(docId);
    if (!mirror) {
      mirror = { doc: new Y.Doc(), timer: null };
      this.mirrors.set(docId, mirror);
    }
    if (mirror.timer) clearTimeout(mirror.timer);
    mirror.timer = null;
    return mirror;
  }

  private idle(docId: string, mirror: Mirror): void {
    if (this.mirrors.get(docId) !== mirror) return;
    if (mirror.timer) clearTimeout(mirror.timer);
    mirror.timer = setTimeout(() => this.dropMirror(docId, mirror), MIRROR_IDLE_MS);
    mirror.timer.unref();
  }

  private dropMirror(docId: string, mirror: Mirror): void {
    if (mirror.timer) clearTimeout(mirror.timer);
    mirror.timer = null;
    // Not destroyed: a concurrent withRoom may still be reading it.
    if (this.mirrors.get(docId) === mirror) this.mirrors.delete(docId);
  }
}
