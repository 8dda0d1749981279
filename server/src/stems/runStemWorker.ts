import { Worker } from 'node:worker_threads';
import { workerExecArgv } from '../threads/workerExecArgv.ts';
import type { ProcessedStem, StemJob } from './ProcessedStem.ts';
import { ApiError } from '../http/ApiError.ts';
import type { FromStemWorker, ToStemWorker } from './stemWorkerProtocol.ts';

const ENTRY = new URL('./stemWorker.entry.cjs', import.meta.url);

/** Bounds of one stem worker. */
export interface StemWorkerLimits {
  /**
   * V8 heap of the worker (its old generation), MB. Decoded samples and the decoders' WASM
   * memory live outside that heap and are not counted: the decode budget
   * (`MAX_STEM_SECONDS × rate`, see DecodeBuffer) is what bounds them.
   */
  readonly heapMb: number;
  /** Longest a validation may take before the worker is stopped, ms. */
  readonly timeoutMs: number;
}

/**
 * The smallest heap a worker may get. Node 24 aborts the whole process ("Fatal JavaScript
 * out of memory: GC during deserialization") when a worker's heap cannot hold its start-up
 * snapshot (seen at 2 MB); at 4 MB and above the worker fails alone, as a clear error.
 */
export const MIN_STEM_WORKER_HEAP_MB = 8;

/** Room for the decoders' JS, codec-parser's frames and analysis objects; samples are not on this heap. */
export const DEFAULT_STEM_WORKER_LIMITS: StemWorkerLimits = Object.freeze({ heapMb: 256, timeoutMs: 5 * 60_000 });

/**
 * Validates and analyses a stem (processStem) in a fresh worker thread, so decoding a hostile
 * file never blocks the main thread (health checks, sockets, other requests) and whatever
 * memory it grew is returned when the thread ends. `bytes` is moved to the worker (unusable
 * here afterwards). A worker that dies, runs out of heap or out of time gives an ApiError
 * the user can read; `signal` stops it.
 */
export function runStemWorker(
  bytes: Uint8Array,
  job: StemJob,
  limits: StemWorkerLimits = DEFAULT_STEM_WORKER_LIMITS,
  signal?: AbortSignal,
): Promise<ProcessedStem> {
  signal?.throwIfAborted();
  if (!(limits.heapMb >= MIN_STEM_WORKER_HEAP_MB)) return Promise.reject(new RangeError(`A stem worker needs a heap of at least ${MIN_STEM_WORKER_HEAP_MB} MB (got ${limits.heapMb}).`));
  // Only a buffer the array owns whole can be moved; a view into a pooled one is copied.
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  const worker = new Worker(ENTRY, {
    execArgv: workerExecArgv(),
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: Math.min(32, limits.heapMb), stackSizeMb: 4 },
  });
  return new Promise<ProcessedStem>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { stem: ProcessedStem } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if ('stem' in outcome) resolve(outcome.stem);
      else reject(outcome.error);
    };
    const unprocessable = (why: string, cause?: unknown): ApiError =>
      new ApiError('unprocessable', `"${job.fileName}" could not be processed: ${why}. Nothing was stored.`, { cause });
    const timer = setTimeout(
      () => finish({ error: unprocessable(`decoding it took longer than ${Math.round(limits.timeoutMs / 1000)} s`) }),
      limits.timeoutMs,
    );
    const onAbort = (): void => finish({ error: signal!.reason instanceof Error ? signal!.reason : new Error('aborted') });
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (reply: FromStemWorker) => {
      if (reply.ok) return finish({ stem: reply.stem });
      if (reply.code) return finish({ error: new ApiError(reply.code, reply.message) });
      finish({ error: unprocessable(`the decoder failed (${reply.message})`) });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      // ERR_WORKER_OUT_OF_MEMORY: the heap limit above; anything else is a crash.
      const why = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `decoding it needed more than ${limits.heapMb} MB of memory` : `the decoder crashed (${error.message})`;
      finish({ error: unprocessable(why, error) });
    });
    worker.on('exit', (code) => finish({ error: unprocessable(`the decoder stopped (exit code ${code})`) }));
    worker.postMessage({ bytes: owned, job } satisfies ToStemWorker, [owned.buffer as ArrayBuffer]);
  });
}
