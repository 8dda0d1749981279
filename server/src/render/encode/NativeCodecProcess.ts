import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { BakeError } from '../BakeError.ts';

/** Default stall limit: nothing written for this long while the process holds input. */
const DEFAULT_STALL_MS = 60_000;
/**
 * Input queued for the pipe before `write` waits. The pipe holds 64 KiB; waiting for it to
 * drain after every block put the caller and the child in lockstep, each waking the other
 * about 1400 times a song, which on a loaded machine cost more wall time than the coding.
 */
const MAX_QUEUED_BYTES = 4 << 20;
/** Bytes of its error output kept for the message. */
const STDERR_KEEP = 2048;

export interface NativeCodecOptions {
  /** What it is, for messages: "MP3 encoder", "FLAC encoder", "MP3 decoder". */
  role: string;
  /** The binary (PATH lookup) and its arguments; it reads stdin and writes stdout. */
  command: string;
  args: readonly string[];
  /** CPU-time limit (s) and address-space limit (KiB), applied by `ulimit` before exec. */
  cpuSeconds: number;
  addressSpaceKib: number;
  /** Output cap, and what it stands for ("what 320 kbit/s allows for this song"). */
  maxOutputBytes: number;
  maxOutputReason: string;
  /** Failed when it writes nothing for this long while it has input (ms; default 60 s). */
  stallMs?: number | undefined;
  /** Each piece of its output, in order; a throw fails the process. */
  onOutput: (chunk: Buffer) => void;
  /** Its process started (`running`) or ended: the bake's owner kills it on cancel. */
  onChild?: ((pid: number, running: boolean) => void) | undefined;
  /** Error-output lines left out of the message (a build's chatter). */
  quietStderr?: RegExp;
}

/**
 * A native codec (Debian's `lame`, `flac`, `mpg123`) in a child process, streaming: input on
 * stdin, output on stdout, no temp file. It runs under a CPU-time and address-space limit
 * (`ulimit` in the shell that execs it, so the pid is the codec's), its output is capped,
 * and it is failed when it stalls. The first failure wins and kills it; every pending and
 * later call rejects with that typed error, naming what went wrong. `dispose` kills it.
 */
export class NativeCodecProcess {
  private failure: BakeError | null = null;
  private readonly onFailure = new Set<(e: BakeError) => void>();
  private stderr = '';
  private bytes = 0;
  private lastOutput = performance.now();
  private waiting = 0;
  private readonly watchdog: NodeJS.Timeout;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    private readonly options: NativeCodecOptions,
  ) {
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    this.watchdog = setInterval(() => {
      if (this.waiting > 0 && performance.now() - this.lastOutput > stallMs) {
        this.fail(new BakeError('encoder', `The ${options.role} wrote nothing for ${Math.round(stallMs / 1000)} s while it had input; it was stopped.`));
      }
    }, Math.max(10, stallMs / 4));
    this.watchdog.unref();
  }

  /** Starts the process; a binary that cannot start is a typed error. */
  static async start(options: NativeCodecOptions): Promise<NativeCodecProcess> {
    const { command, role } = options;
    // `sh` applies the limits and execs the codec in its place (same pid).
    const child = spawn('/bin/sh', ['-c', 'ulimit -t "$1" && ulimit -v "$2" && shift 2 && exec "$@"', 'sh', String(Math.ceil(options.cpuSeconds)), String(options.addressSpaceKib), command, ...options.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const codec = new NativeCodecProcess(child, options);
    child.once('exit', () => child.pid !== undefined && options.onChild?.(child.pid, false));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => {
        codec.dispose();
        reject(new BakeError('encoder', `The ${role} (${command}) did not start: ${err.message}.`, { cause: err }));
      });
    });
    options.onChild?.(child.pid!, true);
    codec.listen();
    return codec;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Queues `bytes` for its stdin (`written` once the pipe took them: the buffer may be reused);
   * resolves when it can take more. Rejects as soon as it failed.
   */
  async write(bytes: Uint8Array, written?: () => void): Promise<void> {
    if (this.failure) throw this.failure;
    this.child.stdin.write(bytes, written && (() => written()));
    if (this.child.stdin.writableLength > MAX_QUEUED_BYTES) await this.busy(new Promise<void>((resolve) => this.child.stdin.once('drain', resolve)));
  }

  /** Ends its input; resolves once it exited cleanly and every output byte went to `onOutput`. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.child.stdin.end();
    // 'close' comes after the last stdout byte was delivered.
    const e = await this.busy(this.exitError());
    if (e) this.fail(e);
    if (this.failure) throw this.failure;
    clearInterval(this.watchdog);
  }

  /** Fails it from outside (its output was wrong): killed, and every later call rejects with `e`. */
  fail(e: BakeError): void {
    if (this.failure) return;
    this.failure = e;
    this.child.kill('SIGKILL');
    for (const f of this.onFailure) f(e);
    this.onFailure.clear();
  }

  /** Kills it; safe twice and after a failure. */
  dispose(): void {
    clearInterval(this.watchdog);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private listen(): void {
    const { child, options } = this;
    child.on('error', (err) => this.fail(new BakeError('encoder', `The ${options.role} (${options.command}) failed: ${err.message}.`, { cause: err })));
    // A child that died mid-write: its exit status says why (below); the broken pipe is only the symptom.
    child.stdin.on('error', () => {});
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (this.stderr = (this.stderr + s).slice(-STDERR_KEEP)));
    child.stdout.on('data', (chunk: Buffer) => {
      this.lastOutput = performance.now();
      if (this.failure) return;
      this.bytes += chunk.length;
      if (this.bytes > options.maxOutputBytes) {
        this.fail(new BakeError('encoder', `The ${options.role} wrote more than the ${options.maxOutputBytes} bytes ${options.maxOutputReason}; it was stopped.`));
        return;
      }
      try {
        options.onOutput(chunk);
      } catch (err) {
        this.fail(err instanceof BakeError ? err : new BakeError('encoder', `The ${options.role}'s output could not be used: ${(err as Error).message}`, { cause: err }));
      }
    });
    void this.exitError().then((e) => e && this.fail(e));
  }

  private async exitError(): Promise<BakeError | null> {
    const { code, signal } = await this.exited;
    if (code === 0) return null;
    const { role, command, quietStderr } = this.options;
    const why = signal === 'SIGXCPU' || signal === 'SIGKILL' ? `was killed (${signal}: over its CPU-time limit or stopped)` : signal ? `was killed (${signal})` : `exited with code ${code}`;
    const said = this.stderr
      .split('\n')
      .filter((l) => l.trim() && !(quietStderr && quietStderr.test(l)))
      .slice(-3)
      .join(' ')
      .trim();
    return new BakeError('encoder', `The ${role} (${command}) ${why}${said ? `: ${said}` : ''}.`);
  }

  /** Waits for `ready` while the watchdog counts a stall; rejects as soon as the process fails. */
  private async busy<T>(ready: Promise<T>): Promise<T> {
    if (this.failure) throw this.failure;
    this.waiting++;
    this.lastOutput = performance.now();
    let onFail: ((e: BakeError) => void) | null = null;
    try {
      return await new Promise<T>((resolve, reject) => {
        this.onFailure.add((onFail = reject));
        ready.then(resolve, reject);
      });
    } finally {
      this.waiting--;
      if (onFail) this.onFailure.delete(onFail);
    }
  }
}
