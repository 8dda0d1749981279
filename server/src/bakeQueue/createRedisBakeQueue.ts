import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { JobState } from 'bullmq';
import type { Redis } from 'ioredis';
import type { MixState } from '@mixroom/shared/model';
import { reviewRoots } from '@mixroom/shared/review';
import { ApiError } from '../http/ApiError.ts';
import { createRedisConnection } from '../cluster/createRedisConnection.ts';
import type { Logger } from '../log/Logger.ts';
import type { BakeQueue, BakeSlot } from '../review/BakeQueue.ts';
import type { BakeResult } from '../review/BakeVersion.ts';
import type { ReviewDocs } from '../review/ReviewDocs.ts';
import {
  BAKE_CANCEL_CHANNEL,
  BAKE_KEY_PREFIX,
  BAKE_QUEUE_NAME,
  bakeCancelKey,
  bakeJobId,
  parseBakeJobId,
  type BakeJobData,
} from './BakeJobData.ts';
import { createBakeReporter } from './createBakeReporter.ts';

export interface RedisBakeQueueOptions {
  readonly redisUrl: string;
  readonly docs: ReviewDocs;
  readonly nodeId: string;
  readonly logger: Logger;
  /** Most bakes waiting in the whole deployment (503 past it). */
  readonly maxQueued: number;
  /** Most bakes waiting or running per room (429 past it). */
  readonly maxQueuedPerRoom: number;
  readonly onRedisError?: (error: Error) => void;
  /** See `createBakeReporter`. */
  readonly leaseMs?: number;
  readonly sweepMs?: number;
}

const WAITING: JobState[] = ['waiting', 'delayed', 'prioritized', 'waiting-children'];
const UNFINISHED = new Set<JobState | 'unknown'>([...WAITING, 'active']);
const RESERVATION_MS = 60_000;
/** Compare-and-delete: only the holder releases the reservation lock. */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The API nodes' side of bakes on BullMQ: versions are added to one Redis queue that every
 * `pnpm worker` process takes from, and each node's reporter writes progress and results into
 * the rooms (see `createBakeReporter`). Bounds hold across nodes: a short Redis lock around
 * counting what is queued (plus places held while a version is written, which expire).
 * Cancelling a waiting bake removes it; a running one is aborted on whichever worker runs it
 * (pub/sub, plus a key the worker checks before starting, so no cancel is lost in between).
 */
export function createRedisBakeQueue(options: RedisBakeQueueOptions): BakeQueue {
  const { docs, logger, nodeId } = options;
  const connect = (role: string): Redis => createRedisConnection({ url: options.redisUrl, role, logger, ...(options.onRedisError ? { onError: options.onRedisError } : {}) });
  const redis = connect('bake-queue');
  const eventsConnection = connect('bake-events');
  const queue = new Queue<BakeJobData, BakeResult>(BAKE_QUEUE_NAME, { connection: redis });
  const events = new QueueEvents(BAKE_QUEUE_NAME, { connection: eventsConnection });
  const reporter = createBakeReporter({
    queue,
    redis,
    docs,
    nodeId,
    logger,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.sweepMs !== undefined ? { sweepMs: options.sweepMs } : {}),
  });
  for (const event of ['active', 'progress', 'completed', 'failed', 'waiting', 'delayed', 'stalled'] as const) {
    events.on(event, ({ jobId }: { jobId: string }) => reporter.sync(jobId));
  }
  events.on('error', (error: Error) => logger.warn('bake events error', { error: error.message }));
  queue.on('error', (error: Error) => logger.warn('bake queue error', { error: error.message }));

  const reservations = `${BAKE_KEY_PREFIX}:reservations`;
  const lockKey = `${BAKE_KEY_PREFIX}:reserve-lock`;

  /** Runs `fn` holding the deployment-wide reservation lock (a few ms; expires if we die). */
  const withReserveLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + 5000;
    while ((await redis.set(lockKey, token, 'PX', 5000, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new ApiError('busy', 'The bake queue is busy. Try again in a moment.', { headers: { 'retry-after': '5' } });
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
    }
    try {
      return await fn();
    } finally {
      await redis.eval(UNLOCK, 1, lockKey, token);
    }
  };

  /**
   * Adds the version's job. A finished job of the same version (a bake that failed or was
   * cancelled, being baked again) is removed first: BullMQ ignores an id it still holds.
   */
  const add = async (roomId: string, versionId: string, state: MixState, replaceFinished: boolean): Promise<void> => {
    const jobId = bakeJobId(roomId, versionId);
    const existing = await queue.getJob(jobId);
    if (existing) {
      const current = await existing.getState();
      if (UNFINISHED.has(current)) return;
      if (!replaceFinished) return reporter.sync(jobId);
      await existing.remove();
    }
    await redis.del(bakeCancelKey(jobId), `${BAKE_KEY_PREFIX}:reported:${jobId}`);
    await queue.add('bake', { roomId, versionId, state }, { jobId, attempts: 1, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 24 * 3600 } });
    logger.info('bake queued', { roomId, versionId, jobId });
  };

  const bakeQueue: BakeQueue = {
    async reserve(roomId) {
      const member = `${roomId}|${randomBytes(8).toString('hex')}`;
      await withReserveLock(async () => {
        const [waitingIds, activeIds, held] = await Promise.all([
          queue.getRanges(WAITING),
          queue.getRanges(['active']),
          (async () => {
            await redis.zremrangebyscore(reservations, '-inf', Date.now());
            return redis.zrange(reservations, 0, -1);
          })(),
        ]);
        const inRoom =
          [...waitingIds, ...activeIds].filter((id) => parseBakeJobId(id)?.roomId === roomId).length +
          held.filter((m) => m.slice(0, m.lastIndexOf('|')) === roomId).length;
        if (inRoom >= options.maxQueuedPerRoom) {
          throw new ApiError('busy', `This room already has ${inRoom} bakes waiting or running (the limit is ${options.maxQueuedPerRoom}). Wait for one to finish, or cancel one, then try again.`, { status: 429, headers: { 'retry-after': '30' } });
        }
        const waiting = waitingIds.length + held.length;
        if (waiting >= options.maxQueued) {
          throw new ApiError('busy', `The server has ${waiting} bakes waiting (the limit is ${options.maxQueued}). Try again in a minute.`, { headers: { 'retry-after': '60' } });
        }
        await redis.zadd(reservations, Date.now() + RESERVATION_MS, member);
      });
      let holding = true;
      const release = async () => {
        if (!holding) return;
        holding = false;
        await redis.zrem(reservations, member);
      };
      const slot: BakeSlot = {
        async enqueue(versionId, state) {
          if (!holding) return;
          try {
            await add(roomId, versionId, state, true);
          } finally {
            await release();
          }
        },
        release,
      };
      return slot;
    },
    enqueue: (roomId, versionId, state) => add(roomId, versionId, state, false),
    async has(roomId, versionId) {
      return (await queue.getJobState(bakeJobId(roomId, versionId))) !== 'unknown';
    },
    async cancel(roomId, versionId) {
      const jobId = bakeJobId(roomId, versionId);
      const job = await queue.getJob(jobId);
      if (!job) return false;
      const state = await job.getState();
      if (!UNFINISHED.has(state)) return false;
      if (state !== 'active') {
        let removed = false;
        try {
          await job.remove();
          removed = true;
        } catch {
          // A worker took it in the meantime: cancel it where it runs.
        }
        if (removed) {
          // The job is gone, so no reporter writes this record any more: this node does.
          await docs.withReview(roomId, (doc, origin) => {
            const { bakes } = reviewRoots(doc);
            const current = bakes.get(versionId);
            if (current && (current.status === 'queued' || current.status === 'baking')) {
              doc.transact(() => bakes.set(versionId, { ...current, status: 'cancelled', finishedAt: Date.now(), error: 'Cancelled' }), origin);
            }
          });
          logger.info('bake cancelled before it started', { roomId, versionId });
          return true;
        }
      }
      await redis.set(bakeCancelKey(jobId), nodeId, 'PX', 24 * 3600_000);
      await redis.publish(BAKE_CANCEL_CHANNEL, jobId);
      logger.info('bake cancel sent to its worker', { roomId, versionId });
      return true;
    },
    async depth() {
      const counts = await queue.getJobCounts(...WAITING, 'active');
      const waiting = WAITING.reduce((n, s) => n + (counts[s] ?? 0), 0);
      return { waiting, running: counts.active ?? 0 };
    },
    async idle() {
      for (;;) {
        const ids = await queue.getRanges([...WAITING, 'active', 'completed', 'failed']);
        const pending = [];
        for (const id of ids) {
          if ((await redis.exists(`${BAKE_KEY_PREFIX}:reported:${id}`)) === 0) pending.push(id);
        }
        if (pending.length === 0) return reporter.settled();
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await reporter.close();
      await events.close();
      await queue.close();
      redis.disconnect();
      eventsConnection.disconnect();
    },
  };
  return bakeQueue;
}
