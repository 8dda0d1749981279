import { Worker } from 'node:worker_threads';
import { workerExecArgv } from '../../threads/workerExecArgv.ts';

export interface IdleThreadsOptions {
  /** Threads kept idle at most; one given back past this is ended. */
  maxIdle: number;
  /** An idle thread ends after this long unused (ms). */
  idleMs: number;
}

interface Idle {
  worker: Worker;
  timer: NodeJS.Timeout;
  gone: () => void;
}

/**
 * Worker threads of one entry kept between bakes. A thread costs about 0.3 CPU-s to start
 * (its isolate, compiling its modules, instantiating its WebAssembly), which a server baking
 * one version after another would otherwise pay for every bake. A bake `take`s threads and
 * `give`s back only those that finished it cleanly, having dropped its state and its own
 * listeners; a thread that failed, was cancelled or is mid-message is ended instead, so no
 * state crosses from one bake to the next. Idle threads are unref'd (they never keep the
 * process alive), end after `idleMs`, and a thread that dies while idle is forgotten.
 */
export class IdleThreads {
  private readonly idle: Idle[] = [];
  private closed = false;
  /** Threads started by `take` (tests check that a second bake reuses them). */
  started = 0;

  constructor(
    private readonly entry: URL,
    private readonly options: IdleThreadsOptions,
  ) {}

  /** Idle threads now. */
  get idleCount(): number {
    return this.idle.length;
  }

  /** The idle threads themselves (tests end one to see it replaced). */
  idleThreads(): Worker[] {
    return this.idle.map((e) => e.worker);
  }

  /** An idle thread, or a new one. */
  take(): Worker {
    const kept = this.idle.pop();
    if (kept) {
      this.forget(kept);
      kept.worker.ref();
      return kept.worker;
    }
    this.started++;
    return new Worker(this.entry, { execArgv: workerExecArgv() });
  }

  /**
   * Keeps a thread for the next bake. The caller has removed its listeners and reset the
   * thread's state (a message sent before this call is handled before the next bake's).
   */
  give(worker: Worker): void {
    if (this.closed || this.idle.length >= this.options.maxIdle) {
      void worker.terminate().catch(() => 0);
      return;
    }
    const entry: Idle = {
      worker,
      timer: setTimeout(() => {
        this.forget(entry);
        void worker.terminate().catch(() => 0);
      }, this.options.idleMs),
      gone: () => this.forget(entry),
    };
    entry.timer.unref();
    // An idle thread that crashes or exits is dropped; its error must not reach the process.
    worker.on('error', entry.gone);
    worker.on('exit', entry.gone);
    worker.unref();
    this.idle.push(entry);
  }

  /** Ends every idle thread; threads given back later are ended too. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    for (const e of idle) this.detach(e);
    await Promise.all(idle.map((e) => e.worker.terminate().catch(() => 0)));
  }

  private forget(entry: Idle): void {
    const at = this.idle.indexOf(entry);
    if (at >= 0) this.idle.splice(at, 1);
    this.detach(entry);
  }

  private detach(entry: Idle): void {
    clearTimeout(entry.timer);
    entry.worker.off('error', entry.gone);
    entry.worker.off('exit', entry.gone);
  }
}
