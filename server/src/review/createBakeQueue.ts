import type { MixState } from '@mixroom/shared/model';
import { REFERENCE_RENDER_FORMAT, reviewRoots } from '@mixroom/shared/review';
import type { BakeRecord } from '@mixroom/shared/review';
import { ApiError } from '../http/ApiError.ts';
import type { Logger } from '../log/Logger.ts';
import type { BakeQueue } from './BakeQueue.ts';
import type { BakeVersion } from './BakeVersion.ts';
import type { ReviewDocs } from './ReviewDocs.ts';

export interface BakeQueueOptions {
  docs: ReviewDocs;
  bake: BakeVersion;
  now: () => number;
  logger: Logger;
  /** Smallest progress step written to the room (every write is a doc update for everyone). */
  progressStep?: number;
  /** Most bakes waiting in this process (default 24). */
  maxQueued?: number;
  /** Most bakes waiting or running per room (default 4). */
  maxQueuedPerRoom?: number;
}

interface Job {
  roomId: string;
  versionId: string;
  state: MixState;
  abort: AbortController;
}

/**
 * In-process bake queue: one bake at a time (the bake itself fans out to worker threads,
 * and the embedded default shares two cores with sync). Progress and the result are
 * written to the room's review document, so everyone in the room sees the same bar. On a
 * multi-node deployment `createRedisBakeQueue` (BullMQ) takes its place.
 */
export function createBakeQueue(options: BakeQueueOptions): BakeQueue {
  const { docs, now, logger } = options;
  const step = options.progressStep ?? 0.02;
  const jobs: Job[] = [];
  let running: Job | null = null;
  let runningDone: Promise<void> = Promise.resolve();
  let idleWaiters: Array<() => void> = [];
  const maxQueued = options.maxQueued ?? 24;
  const maxPerRoom = options.maxQueuedPerRoom ?? 4;
  const reserved = new Map<string, number>();
  let reservedTotal = 0;
  const inRoom = (roomId: string) =>
    jobs.filter((j) => j.roomId === roomId).length + (running?.roomId === roomId ? 1 : 0) + (reserved.get(roomId) ?? 0);
  const key = (roomId: string, versionId: string) => `${roomId}/${versionId}`;

  const update = (job: Job, patch: Partial<BakeRecord>) =>
    docs.withReview(job.roomId, (doc, origin) => {
      const { bakes } = reviewRoots(doc);
      const current = bakes.get(job.versionId);
      if (!current) return;
      doc.transact(() => bakes.set(job.versionId, { ...current, ...patch }), origin);
    });

  const run = async (job: Job): Promise<void> => {
    await update(job, { status: 'baking', progress: 0, startedAt: now(), error: null, phase: 'starting', etaSec: null, pending: [], mp3Pass: null });
    let written = 0;
    let shown = { phase: 'starting', mp3Pass: null as number | null, pending: '' };
    let writing: Promise<void> = Promise.resolve();
    try {
      const result = await options.bake({
        roomId: job.roomId,
        versionId: job.versionId,
        state: job.state,
        signal: job.abort.signal,
        onProgress: (p) => {
          const clamped = Math.max(0, Math.min(1, p.fraction));
          const label = { phase: p.phase, mp3Pass: p.mp3Pass, pending: p.pending.join() };
          // A new phase, pass or set of formats is always shown; within one, steps of `step`.
          const moved = label.phase !== shown.phase || label.mp3Pass !== shown.mp3Pass || label.pending !== shown.pending;
          if (!moved && (clamped - written < step || clamped >= 1)) return;
          written = Math.min(clamped, 0.999);
          shown = label;
          const patch = { progress: written, phase: p.phase, etaSec: p.etaSec === null ? null : Math.round(p.etaSec * 10) / 10, pending: p.pending, mp3Pass: p.mp3Pass };
          writing = writing.then(() => update(job, patch)).catch(() => undefined);
        },
      });
      if (!result.renders[REFERENCE_RENDER_FORMAT]) throw new Error('The bake produced no reference WAV 24-bit render.');
      await writing;
      await update(job, {
        status: 'done',
        progress: 1,
        finishedAt: now(),
        loudness: result.loudness,
        durationSec: result.durationSec,
        renders: result.renders,
        formats: result.formats,
        ceilingDb: result.ceilingDb,
        phase: null,
        etaSec: null,
        pending: [],
        mp3Pass: null,
      });
      logger.info('bake done', { roomId: job.roomId, versionId: job.versionId });
    } catch (error) {
      await writing;
      const cancelled = job.abort.signal.aborted;
      const message = error instanceof Error ? error.message : String(error);
      logger[cancelled ? 'info' : 'error']('bake ended without a render', { roomId: job.roomId, versionId: job.versionId, error: message });
      await update(job, { status: cancelled ? 'cancelled' : 'failed', finishedAt: now(), error: cancelled ? 'Cancelled' : message, phase: null, etaSec: null, pending: [], mp3Pass: null }).catch(
        (writeError: unknown) => logger.error('could not record bake failure', { error: String(writeError) }),
      );
    }
  };

  const pump = (): void => {
    if (running) return;
    const next = jobs.shift();
    if (!next) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    running = next;
    runningDone = run(next).finally(() => {
      running = null;
      pump();
    });
  };

  const enqueue = (roomId: string, versionId: string, state: MixState): void => {
    if (has(roomId, versionId)) return;
    jobs.push({ roomId, versionId, state, abort: new AbortController() });
    pump();
  };
  const has = (roomId: string, versionId: string): boolean => {
    const k = key(roomId, versionId);
    return (running !== null && key(running.roomId, running.versionId) === k) || jobs.some((j) => key(j.roomId, j.versionId) === k);
  };

  const queue: BakeQueue = {
    async reserve(roomId) {
      const held = inRoom(roomId);
      if (held >= maxPerRoom) {
        throw new ApiError('busy', `This room already has ${held} bakes waiting or running (the limit is ${maxPerRoom}). Wait for one to finish, or cancel one, then try again.`, { status: 429, headers: { 'retry-after': '30' } });
      }
      if (jobs.length + reservedTotal >= maxQueued) {
        throw new ApiError('busy', `The server has ${jobs.length + reservedTotal} bakes waiting (the limit is ${maxQueued}). Try again in a minute.`, { headers: { 'retry-after': '60' } });
      }
      reserved.set(roomId, (reserved.get(roomId) ?? 0) + 1);
      reservedTotal += 1;
      let holding = true;
      const release = () => {
        if (!holding) return;
        holding = false;
        reservedTotal -= 1;
        const left = (reserved.get(roomId) ?? 1) - 1;
        if (left > 0) reserved.set(roomId, left);
        else reserved.delete(roomId);
      };
      return {
        async enqueue(versionId, state) {
          if (!holding) return;
          release();
          enqueue(roomId, versionId, state);
        },
        release: async () => release(),
      };
    },
    enqueue: async (roomId, versionId, state) => enqueue(roomId, versionId, state),
    has: async (roomId, versionId) => has(roomId, versionId),
    async depth() {
      return { waiting: jobs.length, running: running ? 1 : 0 };
    },
    async cancel(roomId, versionId) {
      const k = key(roomId, versionId);
      if (running && key(running.roomId, running.versionId) === k) {
        running.abort.abort();
        return true;
      }
      const index = jobs.findIndex((j) => key(j.roomId, j.versionId) === k);
      if (index < 0) return false;
      const [job] = jobs.splice(index, 1);
      if (job) void update(job, { status: 'cancelled', finishedAt: now(), error: 'Cancelled' }).catch(() => undefined);
      return true;
    },
    idle() {
      if (!running && jobs.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      for (const job of jobs.splice(0)) job.abort.abort();
      running?.abort.abort();
      await runningDone.catch(() => undefined);
    },
  };
  return queue;
}