import { Worker } from 'node:worker_threads';
import type { LoudnessSummary } from '@mixroom/shared/dsp';
import { BakeError } from '../BakeError.ts';
import type { BakeFormat } from '../BakeFormat.ts';
import { workerExecArgv } from '../../threads/workerExecArgv.ts';
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
  format: BakeFormat;
  worker: Worker;
  result: Promise<{ writer: FormatWriterResult; master: LoudnessSummary | null }>;
}

/**
 * One encoder thread per output format, fed the master through a shared ring as the bake
 * produces it, so every format encodes in parallel with the bake and with each other. The
 * bake waits for a free slot when the slowest thread is a whole ring behind. Any thread
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
  private onFailure: Array<(e: BakeError) => void> = [];

  private constructor(
    private readonly channels: number,
    private readonly maxBlockFrames: number,
    slots: number,
  ) {
    this.ring = new Float32Array(new SharedArrayBuffer(slots * channels * maxBlockFrames * 4));
    this.holders = new Int32Array(slots);
    for (let s = slots - 1; s >= 0; s--) this.free.push(s);
  }

  /**
   * Starts a thread per writer (the master meter runs in `meterMasterIn`'s thread) and
   * resolves once every one is ready.
   */
  static async start(
    writers: readonly FormatWriterOptions[],
    meterMasterIn: number,
    events: FormatEncoderEvents = {},
    slots = DEFAULT_RING_SLOTS,
  ): Promise<FormatThreads> {
    const first = writers[0]!;
    const pool = new FormatThreads(first.channels, first.maxBlockFrames, slots);
    const ready = writers.map((options, i) => pool.spawn(options, i === meterMasterIn, events));
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** The threads, by format (tests end one to see the bake fail cleanly). */
  get workers(): { format: BakeFormat; worker: Worker }[] {
    return this.threads.map(({ format, worker }) => ({ format, worker }));
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
    const master = Promise.all(this.threads.map((t) => t.result)).then((done) => done.find((d) => d.master)?.master ?? null);
    master.catch(() => {});
    return { results: this.threads.map((t) => t.result.then((r) => r.writer)), master };
  }

  /** Stops every thread; safe to call twice. Pending calls reject. */
  async close(): Promise<void> {
    this.fail(new BakeError('cancelled', 'The bake was cancelled.'));
    await Promise.all(this.threads.map((t) => t.worker.terminate().catch(() => 0)));
  }

  private spawn(options: FormatWriterOptions, meterMaster: boolean, events: FormatEncoderEvents): Promise<void> {
    const worker = new Worker(ENTRY, { execArgv: workerExecArgv() });
    let ready!: () => void;
    let readyFailed!: (e: BakeError) => void;
    const readyPromise = new Promise<void>((resolve, reject) => ((ready = resolve), (readyFailed = reject)));
    let finished = false;
    const result = new Promise<{ writer: FormatWriterResult; master: LoudnessSummary | null }>((resolve, reject) => {
      const failed = (e: BakeError): void => {
        readyFailed(e);
        reject(e);
      };
      this.onFailure.push(failed);
      worker.on('message', (msg: FromFormatWorker) => {
        switch (msg.type) {
          case 'ready':
            ready();
            break;
          case 'release':
            if (--this.holders[msg.slot]! === 0) {
              this.free.push(msg.slot);
              this.waiters.shift()?.();
            }
            break;
          case 'pass':
            events.onPass?.(options.format, msg.pass, msg.gainDb);
            break;
          case 'done':
            finished = true;
            resolve({ writer: { file: msg.file, measurement: msg.measurement }, master: msg.master });
            break;
          case 'error':
            this.fail(new BakeError(msg.code, `${options.format.toUpperCase()}: ${msg.message}`));
            break;
        }
      });
      worker.on('error', (err) => this.fail(new BakeError('worker', `The ${options.format} encoder thread crashed: ${err.message}`, { cause: err })));
      worker.on('exit', (code) => {
        if (!finished) this.fail(new BakeError('worker', `The ${options.format} encoder thread stopped (exit code ${code}) before its file was finished.`));
      });
    });
    result.catch(() => {}); // surfaced through finish() or write()
    readyPromise.catch(() => {});
    this.threads.push({ format: options.format, worker, result });
    worker.postMessage({ type: 'init', options, ring: { memory: this.ring.buffer as SharedArrayBuffer, slots: this.holders.length }, meterMaster } satisfies ToFormatWorker);
    return readyPromise;
  }

  /** The first failure wins: every waiter and every pending result gets it. */
  private fail(e: BakeError): void {
    if (this.failure) return;
    this.failure = e;
    for (const f of this.onFailure.splice(0)) f(e);
    for (const w of this.waiters.splice(0)) w();
  }
}
