import type { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { RoomId } from '@mixroom/shared/protocol';
import type { Logger } from '../../log/Logger.ts';
import type { OpenedRoom, RoomLink, RoomStorage, RoomStore } from '../persistence/RoomStore.ts';
import type { ClusterChannels } from './ClusterChannels.ts';
import { readRoomState } from './readRoomState.ts';
import type { S3Snapshots } from './S3Snapshots.ts';
import { encodeStreamBatch } from './StreamBatch.ts';
import type { StreamSubscriber } from './StreamSubscriber.ts';
import type { SyncKeys } from './SyncKeys.ts';

export interface RedisRoomStoreDeps {
  /** The command connection (appends, reads). */
  readonly redis: Redis;
  readonly keys: SyncKeys;
  readonly snapshots: S3Snapshots;
  readonly subscriber: StreamSubscriber;
  readonly channels: ClusterChannels;
  readonly logger: Logger;
  readonly nodeId: string;
  readonly compactAfterMs: number;
  /** Registers a listener for "Redis may have lost data" (a restart without AOF); returns its disposer. */
  readonly onStoreLost: (listener: () => void) => () => void;
}

/**
 * Cluster-mode {@link RoomStore}: a room is its newest S3 snapshot plus its Redis stream. A
 * node appends a batch of updates with one `XADD` (and marks the room dirty for the
 * compactor); with Redis on `appendfsync always`, the reply comes once the entry is on
 * Redis's disk, and only then does the room relay the batch: other nodes relay it when they
 * read it from the stream, so no node ever relays what a crash could take back. Nodes never
 * compact; the RoomCompactor writes snapshots and trims streams.
 */
export class RedisRoomStore implements RoomStore {
  constructor(private readonly deps: RedisRoomStoreDeps) {}

  async start(): Promise<void> {
    await this.deps.redis.ping();
  }

  async open(roomId: RoomId): Promise<OpenedRoom> {
    const { redis, keys, nodeId } = this.deps;
    const state = await readRoomState(this.deps, roomId);
    const updates: Uint8Array[] = state.snapshot ? [state.snapshot] : [];
    for (const entry of state.entries) updates.push(...entry.updates);
    // Two nodes may open a brand-new room at once: only the one that sets the mark fills it.
    const isNew = updates.length === 0 && state.snapshots.length === 0 && (await redis.set(keys.created(roomId), nodeId, 'NX')) === 'OK';
    return { storage: new RedisRoomStorage(this.deps, roomId, state.lastId), updates, isNew };
  }
}

class RedisRoomStorage implements RoomStorage, RoomLink {
  readonly logBytes = 0;
  readonly link: RoomLink = this;
  private readonly disposers: Array<() => void> = [];
  private subscribed = false;

  constructor(
    private readonly deps: RedisRoomStoreDeps,
    private readonly docId: string,
    private readonly readUpTo: string,
  ) {}

  async append(updates: readonly Uint8Array[]): Promise<void> {
    if (updates.length === 0) return;
    const { redis, keys, nodeId } = this.deps;
    const batch = encodeStreamBatch(updates);
    const results = await redis
      .pipeline()
      .xadd(keys.stream(this.docId), '*', 'n', nodeId, 'u', Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength))
      .zadd(keys.dirty, 'NX', Date.now(), this.docId)
      .exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw failed ?? new Error('redis pipeline returned nothing');
  }

  /** Nodes never compact (the RoomCompactor does), so this is never called with logBytes 0. */
  async compact(): Promise<void> {}

  async close(): Promise<void> {
    for (const dispose of this.disposers.splice(0)) dispose();
    // Left here: if the room still has unsaved updates, let the compactor take it now.
    const { redis, keys, compactAfterMs } = this.deps;
    await redis.zadd(keys.dirty, 'XX', Date.now() - compactAfterMs, this.docId).catch((error: unknown) => {
      this.deps.logger.warn('could not hurry compaction of a closed room', { roomId: this.docId, error: String(error) });
    });
  }

  onRemoteUpdates(listener: (updates: readonly Uint8Array[]) => void): () => void {
    if (this.subscribed) throw new Error('remote updates are already subscribed');
    this.subscribed = true;
    const { nodeId } = this.deps;
    const dispose = this.deps.subscriber.subscribe(this.deps.keys.stream(this.docId), this.readUpTo, (entries) => {
      // Our own entries were relayed here when their append resolved.
      const updates = entries.filter((e) => e.node !== nodeId).flatMap((e) => e.updates);
      if (updates.length > 0) listener(updates);
    });
    this.disposers.push(dispose);
    return dispose;
  }

  publishPresence(update: Uint8Array): void {
    this.deps.channels.publish(this.deps.keys.presence(this.docId), encodePresenceMessage(this.deps.nodeId, update));
  }

  onRemotePresence(listener: (update: Uint8Array | null) => void): () => void {
    const { channels, keys, nodeId } = this.deps;
    const channel = keys.presence(this.docId);
    const ask = () => channels.publish(channel, encodePresenceMessage(nodeId, null));
    const dispose = channels.subscribe(
      channel,
      (message) => {
        const decoded = decodePresenceMessage(message);
        if (decoded === null || decoded.node === nodeId) return;
        listener(decoded.update);
      },
      ask,
    );
    const stopAsking = channels.onReconnect(ask);
    this.disposers.push(dispose, stopAsking);
    return () => {
      dispose();
      stopAsking();
    };
  }

  onStoreLost(listener: () => void): () => void {
    const dispose = this.deps.onStoreLost(listener);
    this.disposers.push(dispose);
    return dispose;
  }
}

/** `varString node, varUint8Array update` (an empty update is a request for everyone's presence). */
function encodePresenceMessage(node: string, update: Uint8Array | null): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, node);
  encoding.writeVarUint8Array(e, update ?? new Uint8Array(0));
  return encoding.toUint8Array(e);
}

function decodePresenceMessage(message: Buffer): { node: string; update: Uint8Array | null } | null {
  try {
    const d = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    const node = decoding.readVarString(d);
    const update = decoding.readVarUint8Array(d);
    return { node, update: update.byteLength === 0 ? null : update };
  } catch {
    return null;
  }
}
