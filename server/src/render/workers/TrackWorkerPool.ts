import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MixPlan } from '@mixroom/shared/plan';
import { workerExecArgv } from '../../threads/workerExecArgv.ts';
import { BakeError } from '../BakeError.ts';
import type { WorkerShare } from '../runtime/partitionPlan.ts';
import type { IdleThreads } from './IdleThreads.ts';
import type { FromTrackWorker, StemEncoding, ToTrackWorker } from './trackWorkerProtocol.ts';

const ENTRY = new URL('./trackWorker.entry.cjs', import.meta.url);

/** Default pool size: one worker per core; the main thread's share (buses, master, encoding) is small. */
export function defaultWorkerCount(): number {
  return Math.max(1, os.availableParallelism());
}

interface Pending {
  resolve: (stems: Uint8Array) => void;
  reject: (e: BakeError) => void;
}

/** One worker thread running a share of the track strips; replies come back in send order. */
class TrackWorker {
  private readonly worker: Worker;
  private readonly pending: Pending[] = [];
  private failure: BakeError | null = null;
  private readyWaiter: { resolve: (l: number[]) => void; reject: (e: BakeError) => void } | null = null;
  private readonly onMessage = (msg: FromTrackWorker): void => {
    if (msg.type === 'ready') this.readyWaiter?.resolve(msg.latencyFrames);
    else if (msg.type === 'block') this.pending.shift()?.resolve(msg.stems);
    else {
      const { trackId, trackName, stemKey } = msg;
      this.fail(new BakeError(msg.code, msg.message, { trackId, trackName, stemKey }));
    }
  };
  private readonly onError = (err: Error): void => this.fail(new BakeError('worker', `A bake worker crashed: ${err.message}`, { cause: err }));
  private readonly onExit = (code: number): void => {
    // Any exit during a bake fails it: a kept thread ends only when its pool ends it.
    this.fail(new BakeError('worker', `A bake worker exited with code ${code}.`));
  };

  constructor(
    readonly share: WorkerShare,
    threads?: IdleThreads,
  ) {
    this.worker = threads?.take() ?? new Worker(ENTRY, { execArgv: workerExecArgv() });
    this.worker.on('message', this.onMessage);
    this.worker.on('error', this.onError);
    this.worker.on('exit', this.onExit);
  }

  init(plan: MixPlan, blockFrames: number, arena: WorkerArena, worker: number, stems: (StemEncoding | null)[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.readyWaiter = { resolve, reject };
      this.post({
        type: 'init',
        plan,
        trackIds: this.share.trackIds,
        exports: this.share.exports,
        blockFrames,
        memory: arena.memory,
        slots: arena.slots[worker]!,
        stems,
        worker,
        flags: arena.flags,
        relays: arena.relays[worker]!,
      });
    });
  }

  /** Runs one block; resolves with the stem buffer handed back once the exports are in `slot`. */
  process(index: number, frames: number, stems: Uint8Array, valid: number[], slot: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pending.push({ resolve, reject });
      this.post({ type: 'block', index, frames, stems, valid, slot }, [stems.buffer as ArrayBuffer]);
    });
  }

  async terminate(): Promise<void> {
    this.fail(new BakeError('cancelled', 'The bake was stopped.'));
    this.detach();
    await this.worker.terminate();
  }

  /**
   * Hands the thread back to `threads` when it finished every block it was given and never
   * failed: it drops this bake's state first (`reset`). Otherwise ends it.
   */
  async release(threads: IdleThreads): Promise<void> {
    if (this.failure || this.pending.length > 0) return this.terminate();
    this.failure = new BakeError('cancelled', 'The bake is over.');
    this.post({ type: 'reset' });
    this.detach();
    threads.give(this.worker);
  }

  private detach(): void {
    this.worker.off('message', this.onMessage);
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
  }

  private post(msg: ToTrackWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private fail(err: BakeError): void {
    if (this.failure) return;
    this.failure = err;
    this.readyWaiter?.reject(err);
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}

/** Where the workers meet the main thread in its shared SampleArena (see trackWorkerProtocol). */
export interface WorkerArena {
  memory: SharedArrayBuffer;
  /** Per worker, per slot: the byte offset of its exports' channels. */
  slots: readonly number[][];
  flags: { byteOffset: number; length: number };
  /** Per worker: the partial sums it continues, with their byte offsets per slot. */
  relays: readonly { id: string; from: number; slots: number[] }[][];
}

/** The worker threads of one bake. Always `terminate()` it (finally), also after errors. */
export class TrackWorkerPool {
  private flags: Int32Array | null = null;

  private constructor(
    readonly workers: TrackWorker[],
    private readonly threads: IdleThreads | undefined,
  ) {}

  /**
   * Starts one worker thread per share at once (or takes kept ones from `threads`): they load
   * their code while the caller opens the stems and lays out the arena (about 0.15 s of a
   * bake's start), then `init` them.
   */
  static spawn(shares: readonly WorkerShare[], threads?: IdleThreads): TrackWorkerPool {
    return new TrackWorkerPool(
      shares.map((s) => new TrackWorker(s, threads)),
      threads,
    );
  }

  /**
   * Hands each worker its part of the plan, its export slots (byte offsets in the arena, per
   * share) and its sources' stem encodings; resolves with each share's export latencies.
   */
  async init(plan: MixPlan, blockFrames: number, arena: WorkerArena, stems: readonly (StemEncoding | null)[][]): Promise<number[][]> {
    this.flags = new Int32Array(arena.memory, arena.flags.byteOffset, arena.flags.length);
    return Promise.all(this.workers.map((w, i) => w.init(plan, blockFrames, arena, i, stems[i]!)));
  }

  /**
   * After the bake's last block: each thread goes back to the kept threads (when there are
   * any, and it finished cleanly), else ends.
   */
  async release(): Promise<void> {
    const threads = this.threads;
    if (!threads) return this.terminate();
    await Promise.all(this.workers.map((w) => w.release(threads)));
  }

  async terminate(): Promise<void> {
    const flags = this.flags;
    if (flags) {
      // A worker waiting for another's partial sums sees the stop flag within its wait slice.
      Atomics.store(flags, flags.length - 1, 1);
      for (let i = 0; i < flags.length; i++) Atomics.notify(flags, i);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
