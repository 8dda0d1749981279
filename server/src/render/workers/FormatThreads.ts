import { Worker } from 'node:worker_threads';
import type { LoudnessSummary } from '@mixroom/shared/dsp/loudness';
import { BakeError } from '../BakeError.ts';
import type { BakeFormat } from '../BakeFormat.ts';
import { workerExecArgv } from '../../threads/workerExecArgv.ts';
import type { IdleThreads } from './IdleThreads.ts';
import type { FinishedFormats, FormatEncoderEvents, FormatEncoders } from '../deliver/FormatEncoders.ts';
import type { FormatWriterOptions, FormatWriterResult } from '../deliver/FormatWriter.ts';
import { type FromFormatWorker, ringOffset, type ToFormatWorker } from './formatWorkerProtocol.ts';

const ENTRY = new URL('./formatWorker.entry.cjs', import.meta.url);

/**
 * Blocks of master in the ring. 24 blocks of 16384 frames is 8 s of audio at 48 kHz (3 MB
 * of stereo float): enough for the slowest encoder to fall behind the bake for a while, and
 * the bound that holds the bake back (backpressure) when it falls further.
 */
export const DEFAULT_RING_SLOTS = 24;

interface Thread {
  formats: BakeFormat[];
  worker: Worker;
  /** Each of its formats' file, in its `formats` order. */
  results: Promise<FormatWriterResult>[];
  master: Promise<LoudnessSummary | null>;
  /** It posted `finished` and nothing went wrong in it: it may be kept for another bake. */
  clean: () => boolean;
  /** Removes this bake's listeners from the thread. */
  detach: () => void;
  /** Pids of its native encoders still running. */
  children: Set<number>;
}

/**
 * Which writers share a thread: the MP3 (LAME, its decode meter, maybe passes again) alone,
 * every PCM format together. A thread costs ~0.35 CPU-s to start (its isolate, the shared
 * modules, the wasm instances), more than WAV 16 or 24 costs to encode and meter in all.
 */
export function formatThreadGroups(writers: readonly FormatWriterOptions[]): number[][] {
  const pcm = writers.flatMap((w, i) => (w.format === 'mp3' ? [] : [i]));
  const mp3 = writers.flatMap((w, i) => (w.format === 'mp3' ? [i] : []));
  return [pcm, mp3].filter((g) => g.length > 0);
}

/**
 * Encoder threads (see {@link formatThreadGroups}), fed the master through a shared ring as
 * the bake produces it, so the formats encode in parallel with the bake and with each other.
 * The bake waits for a free slot when the slowest thread is a whole ring behind. Any thread
 * failing or exiting fails every pending and later call with a typed error; `close`
 * stops them all (a thread's temp files live in the caller's temp folder).
 */
export class FormatThreads implements FormatEncoders {
  private readonly ring: Float32Array;
  private readonly holders: Int32Array;
  private readonly free: number[] = [];
  private waiters: Array<() => void> = [];
  private failure: BakeError | null = null;
  private readonly threads: Thread[] = [];
  /** Writer index -> [thread, index in the thread]. */
  private readonly placed: [number, number][] = [];
  private onFailure: Array<(e: BakeError) => void> = [];

  private constructor(
    private readonly channels: number,
    private readonly maxBlockFrames: number,
    slots: number,
    private readonly kept: IdleThreads | undefined,
  ) {
    this.ring = new Float32Array(new SharedArrayBuffer(slots * channels * maxBlockFrames * 4));
    this.holders = new Int32Array(slots);
    for (let s = slots - 1; s >= 0; s--) this.free.push(s);
  }

  /**
   * Starts the threads, or takes kept ones from `kept` (the master meter runs in the thread
   * of writer `meterMasterIn`), and resolves once every one is ready.
   */
  static async start(
    writers: readonly FormatWriterOptions[],
    meterMasterIn: number,
    events: FormatEncoderEvents = {},
    slots = DEFAULT_RING_SLOTS,
    kept?: IdleThreads,
  ): Promise<FormatThreads> {
    const first = writers[0]!;
    const pool = new FormatThreads(first.channels, first.maxBlockFrames, slots, kept);
    const ready = formatThreadGroups(writers).map((group, t) => {
      for (const [k, i] of group.entries()) pool.placed[i] = [t, k];
      return pool.spawn(group.map((i) => writers[i]!), group.includes(meterMasterIn), events);
    });
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** The thread of each format (tests end one to see the bake fail cleanly). */
  get workers(): { format: BakeFormat; worker: Worker }[] {
    return this.threads.flatMap(({ formats, worker }) => formats.map((format) => ({ format, worker })));
  }

  /** Copies a block into a free slot and hands it to every thread; waits for a slot when the ring is full. */
  async write(block: readonly Float32Array[], frames: number): Promise<void> {
    while (this.free.length === 0 && !this.failure) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
    const slot = this.free.pop()!;
    for (let c = 0; c < this.channels; c++) this.ring.set(block[c]!.subarray(0, frames), ringOffset(slot, c, this.channels, this.maxBlockFrames));
    this.holders[slot] = this.threads.length;
    for (const t of this.threads) t.worker.postMessage({ type: 'block', slot, frames } satisfies ToFormatWorker);
  }

  /** Ends the stream: each format's result as it finishes, in start order, and the master's loudness. */
  finish(): FinishedFormats {
    if (this.failure) throw this.failure;
    for (const t of this.threads) t.worker.postMessage({ type: 'finish' } satisfies ToFormatWorker);
    const master = Promise.all(this.threads.map((t) => t.master)).then((done) => done.find((m) => m !== null) ?? null);
    master.catch(() => {});
    return { results: this.placed.map(([t, k]) => this.threads[t]!.results[k]!), master };
  }

  /**
   * Stops every thread; safe to call twice. Pending calls reject. A thread that finished its
   * files cleanly goes back to the kept threads, if any; the others end.
   */
  async close(): Promise<void> {
    const reusable = !this.failure;
    this.fail(new BakeError('cancelled', 'The bake was cancelled.'));
    const threads = this.threads.splice(0);
    await Promise.all(
      threads.map((t) => {
        t.detach();
        // A native encoder outlives a terminated thread: killed here (on cancel, failure or shutdown).
        for (const pid of t.children) killQuietly(pid);
        if (reusable && this.kept && t.clean()) return this.kept.give(t.worker);
        return t.worker.terminate().catch(() => 0);
      }),
    );
  }

  private spawn(formats: FormatWriterOptions[], meterMaster: boolean, events: FormatEncoderEvents): Promise<void> {
    const worker = this.kept?.take() ?? new Worker(ENTRY, { execArgv: workerExecArgv() });
    const name = formats.map((f) => f.format).join('/');
    const settle = formats.map(() => deferred<FormatWriterResult>());
    const finished = deferred<LoudnessSummary | null>();
    const ready = deferred<void>();
    let done = false;
    const failed = (e: BakeError): void => {
      ready.reject(e);
      for (const s of settle) s.reject(e);
      finished.reject(e);
    };
    this.onFailure.push(failed);
    const onMessage = (msg: FromFormatWorker): void => {
      switch (msg.type) {
        case 'ready':
          ready.resolve();
          break;
        case 'release':
          if (--this.holders[msg.slot]! === 0) {
            this.free.push(msg.slot);
            this.waiters.shift()?.();
          }
          break;
        case 'pass':
          events.onPass?.(formats[msg.index]!.format, msg.pass, msg.gainDb);
          break;
        case 'child':
          if (msg.running) children.add(msg.pid);
          else children.delete(msg.pid);
          break;
        case 'done':
          settle[msg.index]!.resolve({ file: msg.file, measurement: msg.measurement });
          break;
        case 'finished':
          done = true;
          finished.resolve(msg.master);
          break;
        case 'error':
          errored = true;
          this.fail(new BakeError(msg.code, `${name.toUpperCase()}: ${msg.message}`));
          break;
      }
    };
    let errored = false;
    let exited = false;
    const children = new Set<number>();
    const onError = (err: Error): void => {
      errored = true;
      this.fail(new BakeError('worker', `The ${name} encoder thread crashed: ${err.message}`, { cause: err }));
    };
    const onExit = (code: number): void => {
      exited = true;
      if (!done) this.fail(new BakeError('worker', `The ${name} encoder thread stopped (exit code ${code}) before its files were finished.`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const detach = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    // Surfaced through finish() or write().
    for (const p of [ready.promise, finished.promise, ...settle.map((s) => s.promise)]) p.catch(() => {});
    this.threads.push({
      formats: formats.map((f) => f.format),
      worker,
      results: settle.map((s) => s.promise),
      master: finished.promise,
      clean: () => done && !errored && !exited,
      detach,
      children,
    });
    worker.postMessage({ type: 'init', formats, ring: { memory: this.ring.buffer as SharedArrayBuffer, slots: this.holders.length }, meterMaster } satisfies ToFormatWorker);
    return ready.promise;
  }

  /** The first failure wins: every waiter and every pending result gets it. */
  private fail(e: BakeError): void {
    if (this.failure) return;
    this.failure = e;
    for (const f of this.onFailure.splice(0)) f(e);
    for (const w of this.waiters.splice(0)) w();
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // it ended meanwhile
  }
}

/** A promise with its settle functions (Promise.withResolvers is Node 22+). */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
