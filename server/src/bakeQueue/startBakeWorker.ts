import { DelayedError, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { REFERENCE_RENDER_FORMAT } from '@mixroom/shared/review';
import { createRedisConnection } from '../cluster/createRedisConnection.ts';
import type { Logger } from '../log/Logger.ts';
import type { BakeJobProgress, BakeResult, BakeVersion } from '../review/BakeVersion.ts';
import { BAKE_CANCEL_CHANNEL, BAKE_CANCELLED_REASON, BAKE_QUEUE_NAME, bakeCancelKey, type BakeJobData } from './BakeJobData.ts';
import { createRoomBakeSlots } from './createRoomBakeSlots.ts';

export interface BakeWorkerOptions {
  readonly redisUrl: string;
  /** The bake itself (the render module's `createRenderBaker` in production). */
  readonly bake: BakeVersion;
  readonly logger: Logger;
  readonly nodeId: string;
  /** Bakes this process runs at once. */
  readonly concurrency: number;
  /** Bakes of one room running at once, across every worker. */
  readonly roomConcurrency: number;
  /** Job lock: a worker silent for this long is presumed dead and its bake retried elsewhere. */
  readonly lockMs: number;
  readonly stalledIntervalMs: number;
  /** Deaths a bake survives before it fails. */
  readonly maxStalls: number;
  /** Smallest progress step sent to the rooms (each is a Redis write and a room update). */
  readonly progressStep?: number;
  readonly onRedisError?: (error: Error) => void;
  /** Each bake's wall time and outcome (the `mixroom_bake_seconds` metric). */
  readonly onBakeFinished?: (seconds: number, outcome: 'done' | 'failed' | 'cancelled' | 'requeued') => void;
}

export interface RunningBakeWorker {
  /** Bakes running in this process now. */
  readonly running: number;
  /**
   * Stops taking bakes, lets the running ones finish for up to `timeoutMs`, then hands what
   * is left back to the queue (another worker starts it at once) and closes.
   */
  drain(timeoutMs: number): Promise<void>;
  /** Readiness: resolves when the command and cancel connections answer a PING. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const LOCK_LOST = 'lock-lost';
const DRAINING = 'draining';

/**
 * One `pnpm worker` process's bake loop on BullMQ. A bake holds a per-room slot (see
 * `createRoomBakeSlots`) or waits its turn delayed; it reports progress on the job (the API
 * nodes write it into the room) and returns the stored files, which become the version's
 * record only once the job completes. If this process dies, BullMQ's stalled-job check
 * hands the job to another worker; bakes are deterministic and their objects named by
 * content hash, so the retry stores the same bytes under the same keys.
 */
export async function startBakeWorker(options: BakeWorkerOptions): Promise<RunningBakeWorker> {
  const { logger } = options;
  const connect = (role: string): Redis => createRedisConnection({ url: options.redisUrl, role, logger, ...(options.onRedisError ? { onError: options.onRedisError } : {}) });
  const redis = connect('bake-worker-commands');
  const subscriber = connect('bake-cancel-subscriber');
  const workerConnection = connect('bake-worker');
  const slots = createRoomBakeSlots(redis, { limit: options.roomConcurrency, ttlMs: options.lockMs });
  const step = options.progressStep ?? 0.02;
  /** Per running job: why this process stops it, when it does. */
  const stops = new Map<string, AbortController>();

  const processor = async (job: Job<BakeJobData, BakeResult>, token?: string, signal?: AbortSignal): Promise<BakeResult> => {
    const { roomId, versionId, state } = job.data;
    const jobId = job.id!;
    const log = { roomId, versionId, jobId, worker: options.nodeId };
    if (await redis.exists(bakeCancelKey(jobId))) throw new UnrecoverableError(BAKE_CANCELLED_REASON);
    if (!(await slots.acquire(roomId, jobId))) {
      // The room has as many bakes running as allowed: wait a moment, others' rooms go first.
      await job.moveToDelayed(Date.now() + 500 + Math.floor(Math.random() * 1000), token);
      throw new DelayedError();
    }
    const stop = new AbortController();
    stops.set(jobId, stop);
    const bakeSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    const renew = setInterval(() => {
      slots.renew(roomId, jobId).catch((error: unknown) => logger.warn('bake room slot renew failed', { ...log, error: String(error) }));
    }, Math.max(250, Math.floor(options.lockMs / 3)));
    const started = performance.now();
    let outcome: 'done' | 'failed' | 'cancelled' | 'requeued' = 'failed';
    logger.info('bake started', { ...log, attempt: job.attemptsStarted, stalls: job.stalledCounter });
    try {
      await job.updateProgress({ fraction: 0, phase: 'starting', etaSec: null, pending: [], mp3Pass: null } satisfies BakeJobProgress);
      let shown = { fraction: 0, label: 'starting' };
      let reporting: Promise<void> = Promise.resolve();
      const result = await options.bake({
        roomId,
        versionId,
        state,
        signal: bakeSignal,
        onProgress: (p) => {
          const fraction = Math.max(0, Math.min(0.999, p.fraction));
          const label = `${p.phase}|${p.mp3Pass}|${p.pending.join()}`;
          // A new phase, MP3 pass or set of formats is always shown; within one, steps of `step`.
          if (label === shown.label && fraction - shown.fraction < step) return;
          shown = { fraction, label };
          const etaSec = p.etaSec === null ? null : Math.round(p.etaSec * 10) / 10;
          reporting = reporting.then(() => job.updateProgress({ ...p, fraction, etaSec })).catch(() => undefined);
        },
      });
      await reporting;
      if (!result.renders[REFERENCE_RENDER_FORMAT]) throw new Error('The bake produced no reference WAV 24-bit render.');
      outcome = 'done';
      logger.info('bake done', { ...log, seconds: (performance.now() - started) / 1000 });
      return result;
    } catch (error) {
      if (stop.signal.aborted && stop.signal.reason === DRAINING) {
        outcome = 'requeued';
        logger.info('bake handed back to the queue (worker draining)', log);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (signal?.aborted && signal.reason !== LOCK_LOST) {
        outcome = 'cancelled';
        logger.info('bake cancelled', log);
        throw new UnrecoverableError(BAKE_CANCELLED_REASON);
      }
      logger.error('bake failed', { ...log, error: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      clearInterval(renew);
      stops.delete(jobId);
      options.onBakeFinished?.((performance.now() - started) / 1000, outcome);
      await slots.release(roomId, jobId).catch(() => undefined);
    }
  };

  const worker = new Worker<BakeJobData, BakeResult>(BAKE_QUEUE_NAME, processor, {
    connection: workerConnection,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: options.maxStalls,
    name: options.nodeId,
  });
  worker.on('error', (error) => logger.warn('bake worker error', { error: error.message }));
  // This process lost a job's lock (blocked, or cut off from Redis): another worker may have
  // it by now, so stop baking it here.
  worker.on('lockRenewalFailed', (jobIds: string[]) => {
    for (const id of jobIds) worker.cancelJob(id, LOCK_LOST);
  });

  await subscriber.subscribe(BAKE_CANCEL_CHANNEL);
  subscriber.on('message', (_channel: string, jobId: string) => {
    if (worker.cancelJob(jobId, 'cancelled')) logger.info('bake cancel received', { jobId });
  });
  await worker.waitUntilReady();
  logger.info('bake worker ready', { worker: options.nodeId, concurrency: options.concurrency, roomConcurrency: options.roomConcurrency });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await worker.close();
      await subscriber.quit().catch(() => undefined);
      redis.disconnect();
      workerConnection.disconnect();
    })());

  return {
    get running() {
      return stops.size;
    },
    async drain(timeoutMs) {
      await worker.pause(true);
      const deadline = Date.now() + timeoutMs;
      while (stops.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      for (const stop of stops.values()) stop.abort(DRAINING);
      await close();
    },
    async ping() {
      await Promise.all([redis.ping(), subscriber.ping()]);
    },
    close,
  };
}
