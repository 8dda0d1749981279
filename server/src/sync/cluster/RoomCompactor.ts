import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as Y from 'yjs';
import type { Logger } from '../../log/Logger.ts';
import { readRoomState } from './readRoomState.ts';
import type { S3Snapshots } from './S3Snapshots.ts';
import { compareStreamIds, nextStreamId } from './StreamBatch.ts';
import type { SyncKeys } from './SyncKeys.ts';

export interface RoomCompactorOptions {
  readonly redis: Redis;
  readonly keys: SyncKeys;
  readonly snapshots: S3Snapshots;
  readonly logger: Logger;
  /** A room is compacted this long after its first update not yet in a snapshot. */
  readonly compactAfterMs: number;
  /** Entries younger than this are never trimmed (see readRoomState). */
  readonly streamMinLifetimeMs: number;
  /** How long one compaction may hold a room's lock. */
  readonly lockMs?: number;
  /** How often the dirty set is polled. */
  readonly pollMs?: number;
  readonly now?: () => number;
}

export type CompactionResult = 'compacted' | 'clean' | 'locked';

/** Releases a lock only if it is still ours (a compaction that outlived its lock must not free another's). */
const RELEASE_LOCK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * Turns rooms' streams into S3 snapshots. Every node runs this loop by default: the work list
 * is a Redis sorted set of rooms with unsaved updates (scored by their first one), and a room
 * is compacted by whichever node takes its lock (`SET NX PX`). So there is no leader to elect
 * or lose, a dead node only delays compaction by the lock's lifetime, and S3 writes and CPU
 * spread over the nodes. `SYNC_COMPACTOR=off` leaves it to other nodes.
 *
 * One compaction: read the stream and the newest readable snapshot, write a new snapshot
 * covering the last entry, read it back and compare, then trim the stream up to the snapshot
 * it was built on and delete older snapshots. The previous snapshot and every entry since it
 * stay, so a snapshot that later fails its checksum falls back to them.
 */
export class RoomCompactor {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: RoomCompactorOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** Compacts one room now (if it has unsaved updates and nobody else holds its lock). */
  async compact(docId: string, signal: AbortSignal = this.abort.signal): Promise<CompactionResult> {
    const { redis, keys } = this.options;
    const token = randomUUID();
    const locked = await redis.set(keys.lock(docId), token, 'PX', this.options.lockMs ?? 60_000, 'NX');
    if (locked !== 'OK') return 'locked';
    try {
      return await this.compactLocked(docId, signal);
    } finally {
      await redis.eval(RELEASE_LOCK, 1, keys.lock(docId), token).catch(() => undefined);
    }
  }

  private async compactLocked(docId: string, signal: AbortSignal): Promise<CompactionResult> {
    const { redis, keys, snapshots, logger } = this.options;
    const state = await readRoomState(this.options, docId, signal);
    const last = state.entries.at(-1);
    if (!last) {
      await this.markClean(docId, state.lastId);
      return 'clean';
    }
    const doc = new Y.Doc({ gc: true });
    try {
      Y.transact(doc, () => {
        if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
        for (const entry of state.entries) for (const update of entry.updates) Y.applyUpdate(doc, update);
      });
      if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
        logger.error('compaction found changes with missing dependencies; they stay out of the snapshot', { roomId: docId });
      }
      const written = await snapshots.write(docId, last.id, Y.encodeStateAsUpdate(doc), signal);
      if (state.base) {
        // Keep the base (the fallback) and everything after it; never young entries.
        const floor = `${Math.max(0, this.now() - this.options.streamMinLifetimeMs)}-0`;
        const next = nextStreamId(state.base.coverId);
        await redis.xtrim(keys.stream(docId), 'MINID', compareStreamIds(next, floor) < 0 ? next : floor);
        const base = state.base;
        await snapshots.delete(state.snapshots.filter((s) => s.key !== base.key && s.key !== written.key), signal);
      }
      await this.markClean(docId, last.id);
      logger.info('room compacted', { roomId: docId, coverId: last.id, entries: state.entries.length });
      return 'compacted';
    } finally {
      doc.destroy();
    }
  }

  /** Takes the room off the work list unless entries came in after `coveredId`. */
  private async markClean(docId: string, coveredId: string): Promise<void> {
    const { redis, keys } = this.options;
    await redis.zrem(keys.dirty, docId);
    // An append after the ZREM re-adds the room itself; one between our read and the ZREM is seen here.
    const newest = await redis.xrevrange(keys.stream(docId), '+', '-', 'COUNT', 1);
    const newestId = newest[0]?.[0];
    if (newestId !== undefined && compareStreamIds(newestId, coveredId) > 0) {
      await redis.zadd(keys.dirty, 'NX', this.now(), docId);
    }
  }

  private async run(): Promise<void> {
    const { redis, keys, logger } = this.options;
    const pollMs = this.options.pollMs ?? 1000;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const due = await redis.zrangebyscore(keys.dirty, '-inf', this.now() - this.options.compactAfterMs, 'LIMIT', 0, 8);
        for (const docId of due) {
          if (signal.aborted) break;
          await this.compact(docId, signal).catch(async (error: unknown) => {
            if (signal.aborted) return;
            logger.error('room compaction failed; retrying later', { roomId: docId, error: String(error) });
            // Back to the end of the line, not once a second while S3 is down.
            await redis.zadd(keys.dirty, 'XX', this.now(), docId).catch(() => undefined);
          });
        }
      } catch (error) {
        if (!signal.aborted) logger.warn('compactor poll failed', { error: String(error) });
      }
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, pollMs);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}
