import { spawn } from 'node:child_process';
import { BakeError } from '../BakeError.ts';
import type { Mp3Encoder, Mp3EncoderOptions } from './Mp3Encoder.ts';
import { lameInfoFrameBytes, MP3_FRAME_SAMPLES } from './mp3/lameInfoFrame.ts';
import { LAME_ENCODER_DELAY, Mp3InfoTagger } from './mp3/Mp3InfoTagger.ts';

/**
 * Float [-1, 1] to the 32-bit integers LAME reads. LAME scales integers by 2^-16 (full scale
 * 32768) but float input by 32767: this factor gives the native encoder the very level the
 * wasm one gets from the same floats (87 % of a 10 s excerpt's bytes come out identical).
 */
const TO_INT32 = 32767 * 65536;
/** Default stall limit: nothing written for this long while the encoder holds input. */
const DEFAULT_STALL_MS = 60_000;
/** The encoder's CPU-time limit: a fixed allowance plus this share of the song's duration (it needs ~1.5 %). */
const CPU_SECONDS_BASE = 30;
const CPU_SECONDS_PER_SECOND = 0.5;
/** Its address-space limit (KiB): LAME needs a few MB. */
const ADDRESS_SPACE_KIB = 512 * 1024;
/**
 * Input queued for the pipe before `encode` waits. The pipe holds 64 KiB; waiting for it to
 * drain after every block put this thread and LAME in lockstep, each waking the other about
 * 1400 times a song, which on a loaded machine cost more wall time than the encoding.
 */
const MAX_QUEUED_BYTES = 4 << 20;
/** Bytes of its error output kept for the message. */
const STDERR_KEEP = 2048;

/**
 * Debian's LAME 3.100 (`lame`) in a child process: the same encoder as the wasm build at the
 * same settings (320 kbit/s CBR, joint stereo, quality 3), natively compiled, so it takes
 * about 60 % of the wasm build's CPU. The master streams in on stdin as raw 32-bit PCM and the
 * frames stream out on stdout, no temp file; LAME's own tag is off (it cannot seek back in a
 * pipe) and {@link Mp3InfoTagger} writes the Info frame, as for the wasm build. The process
 * runs under a CPU-time and address-space limit (`ulimit` in the shell that execs it), its
 * output is bounded by what 320 kbit/s allows for the song, and it is failed when it stalls;
 * each failure is a typed error naming what went wrong, and `dispose` kills it.
 */
export async function createNativeMp3Encoder(options: Mp3EncoderOptions, command: string): Promise<Mp3Encoder> {
  const { sampleRate, channels, totalFrames, onBytes } = options;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const lameArgs = ['-r', '-s', String(sampleRate / 1000), '--bitwidth', '32', '--signed', '--little-endian', '-m', channels === 1 ? 'm' : 'j'];
  lameArgs.push('-b', '320', '--cbr', '-q', '3', '-t', '--noreplaygain', '--quiet', '-', '-');
  const cpuSeconds = Math.ceil(CPU_SECONDS_BASE + (CPU_SECONDS_PER_SECOND * totalFrames) / sampleRate);
  // `sh` applies the limits and execs LAME in its place (same pid).
  const child = spawn('/bin/sh', ['-c', 'ulimit -t "$1" && ulimit -v "$2" && shift 2 && exec "$@"', 'sh', String(cpuSeconds), String(ADDRESS_SPACE_KIB), command, ...lameArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const maxBytes = (Math.ceil((totalFrames + LAME_ENCODER_DELAY) / MP3_FRAME_SAMPLES) + 2) * (lameInfoFrameBytes(sampleRate) + 1);
  const tagger = new Mp3InfoTagger(sampleRate);
  let failure: BakeError | null = null;
  const onFailure = new Set<(e: BakeError) => void>();
  let stderr = '';
  let inputFrames = 0;
  let lastOutput = performance.now();
  let waiting = 0;
  const fail = (e: BakeError): void => {
    if (failure) return;
    failure = e;
    child.kill('SIGKILL');
    for (const f of onFailure) f(e);
    onFailure.clear();
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  child.once('exit', () => child.pid !== undefined && options.onChild?.(child.pid, false));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new BakeError('encoder', `The MP3 encoder (${command}) did not start: ${err.message}.`, { cause: err })));
  });
  options.onChild?.(child.pid!, true);
  child.on('error', (err) => fail(new BakeError('encoder', `The MP3 encoder (${command}) failed: ${err.message}.`, { cause: err })));
  // A child that died mid-write: its exit status says why (below); the broken pipe is only the symptom.
  child.stdin.on('error', () => {});
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (stderr = (stderr + s).slice(-STDERR_KEEP)));
  let bytes = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    lastOutput = performance.now();
    if (failure) return;
    bytes += chunk.length;
    if (bytes > maxBytes) {
      fail(new BakeError('encoder', `The MP3 encoder wrote more than the ${maxBytes} bytes 320 kbit/s allows for this song; it was stopped.`));
      return;
    }
    try {
      onBytes(tagger.wrap(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    } catch (err) {
      fail(err instanceof BakeError ? err : new BakeError('encoder', `The MP3 could not be written: ${(err as Error).message}`, { cause: err }));
    }
  });
  const watchdog = setInterval(() => {
    if (waiting > 0 && performance.now() - lastOutput > stallMs) fail(new BakeError('encoder', `The MP3 encoder wrote nothing for ${Math.round(stallMs / 1000)} s while it had input; it was stopped.`));
  }, Math.max(10, stallMs / 4));
  watchdog.unref();
  const exitError = async (): Promise<BakeError | null> => {
    const { code, signal } = await exited;
    if (code === 0) return null;
    const why = signal === 'SIGXCPU' || signal === 'SIGKILL' ? `was killed (${signal}: over its CPU-time limit or stopped)` : signal ? `was killed (${signal})` : `exited with code ${code}`;
    const said = stderr.split('\n').filter((l) => l.trim() && !/libsndfile|Compile without/.test(l)).slice(-3).join(' ').trim();
    return new BakeError('encoder', `The MP3 encoder (${command}) ${why}${said ? `: ${said}` : ''}.`);
  };
  void exitError().then((e) => e && fail(e));
  /** Waits for `ready` while the watchdog counts a stall; rejects as soon as the encoder fails. */
  const busy = async <T>(ready: Promise<T>): Promise<T> => {
    if (failure) throw failure;
    waiting++;
    lastOutput = performance.now();
    let onFail: ((e: BakeError) => void) | null = null;
    try {
      return await new Promise<T>((resolve, reject) => {
        onFailure.add((onFail = reject));
        ready.then(resolve, reject);
      });
    } finally {
      waiting--;
      if (onFail) onFailure.delete(onFail);
    }
  };
  // Interleaved integer buffers, reused once the pipe has taken them.
  const free: Int32Array[] = [];
  return {
    choice: { kind: 'native', command },
    async encode(block, frames) {
      if (failure) throw failure;
      const ints = free.pop() ?? new Int32Array(frames * channels);
      const out = ints.length >= frames * channels ? ints : new Int32Array(frames * channels);
      for (let c = 0; c < channels; c++) {
        const ch = block[c]!;
        for (let i = 0, j = c; i < frames; i++, j += channels) {
          const x = ch[i]!;
          // NaN becomes 0; the writer has clipped already, this only keeps the integer in range.
          out[j] = Math.round((x > 1 ? 1 : x < -1 ? -1 : x === x ? x : 0) * TO_INT32);
        }
      }
      inputFrames += frames;
      child.stdin.write(new Uint8Array(out.buffer, 0, frames * channels * 4), () => free.push(out));
      if (child.stdin.writableLength > MAX_QUEUED_BYTES) await busy(new Promise<void>((resolve) => child.stdin.once('drain', resolve)));
    },
    async finish() {
      if (failure) throw failure;
      child.stdin.end();
      // 'close' comes after the last stdout byte was delivered.
      const e = await busy(exitError());
      if (e) fail(e);
      if (failure) throw failure;
      clearInterval(watchdog);
    },
    headerPatches: () => tagger.headerPatches(inputFrames),
    dispose() {
      clearInterval(watchdog);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
