import os from 'node:os';
import { IdleThreads } from './IdleThreads.ts';

export interface BakeThreadsOptions {
  /** Track worker threads kept idle at most (default: one per core, a bake's default count). */
  maxIdleTrackThreads?: number;
  /** Encoder threads kept idle at most (default 2: a bake of every format uses two). */
  maxIdleFormatThreads?: number;
  /** An idle thread ends after this long unused (ms; default 5 min). */
  idleMs?: number;
}

/**
 * Five minutes: a version is saved every few minutes in a working session, and each of a
 * bake's four threads costs ~0.3 CPU-s to start again, ~1.3 CPU-s a version, while the four
 * idle threads hold ~80 MB (measured after a 60 s song's bake: RSS 317 MB kept, 239 closed).
 */
export const DEFAULT_BAKE_THREAD_IDLE_MS = 5 * 60_000;

/**
 * The threads a long-lived process keeps between bakes: track workers and encoder threads,
 * each kept idle for the next bake (see {@link IdleThreads}). Made once in a composition root
 * and passed to every bake; `close` it on shutdown. Bakes without one start their own threads
 * and end them.
 */
export class BakeThreads {
  readonly track: IdleThreads;
  readonly format: IdleThreads;

  constructor(options: BakeThreadsOptions = {}) {
    const idleMs = options.idleMs ?? DEFAULT_BAKE_THREAD_IDLE_MS;
    this.track = new IdleThreads(new URL('./trackWorker.entry.cjs', import.meta.url), {
      maxIdle: options.maxIdleTrackThreads ?? Math.max(1, os.availableParallelism()),
      idleMs,
    });
    this.format = new IdleThreads(new URL('./formatWorker.entry.cjs', import.meta.url), { maxIdle: options.maxIdleFormatThreads ?? 2, idleMs });
  }

  async close(): Promise<void> {
    await Promise.all([this.track.close(), this.format.close()]);
  }
}
