/**
 * Runs one bake in its own process for bakeBench.ts, so the peak RSS it reports is the
 * bake's alone. argv: <plan.json> <stemsDir> <out.wav> <workers> <blockFrames> [mode].
 * Mode `bake` (default): the stems from files, WAV 24 to a file. Mode `mp3`: the MP3 writer
 * alone on <out.wav>, with the native and the wasm LAME in turn. Mode `version`: what the
 * server does for a saved version: this process runs the embedded S3 store on the data
 * folder in <stemsDir> (stems already uploaded there), reads the stems from it, bakes all
 * four formats and stores them in it, exactly as startMixroom wires the embedded default,
 * then bakes the same version again in the same process with the threads the first bake
 * left (`warm`: what a running server pays per bake).
 * Prints one JSON line: wall seconds, peak RSS, RSS samples along the render, result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeWavFrames, parseWavHeader } from '@mixroom/shared/wav';
import { createMp3FormatWriter } from '../../server/src/render/deliver/createMp3FormatWriter.ts';
import { resolveMp3Encoder } from '../../server/src/render/encode/resolveMp3Encoder.ts';
import type { MixPlan } from '@mixroom/shared/plan';
import { createFileStemSource } from '../../server/src/render/input/createFileStemSource.ts';
import { createEmbeddedStemSource } from '../../server/src/render/input/createEmbeddedStemSource.ts';
import { renderBake } from '../../server/src/render/renderBake.ts';
import type { Mp3EncoderSetting } from '../../server/src/render/encode/Mp3Encoder.ts';
import type { FlacEncoderSetting } from '../../server/src/render/encode/FlacEncoder.ts';
import { resolveFlacEncoder } from '../../server/src/render/encode/resolveFlacEncoder.ts';
import type { NativeCodecSetting } from '../../server/src/render/encode/nativeCodecChoice.ts';
import { resolveMp3MeterDecoder } from '../../server/src/render/deliver/resolveMp3MeterDecoder.ts';
import { createPcmFormatWriter } from '../../server/src/render/deliver/createPcmFormatWriter.ts';
import type { FormatWriter } from '../../server/src/render/deliver/FormatWriter.ts';
import { renderBakeFormats } from '../../server/src/render/renderBakeFormats.ts';
import { BakeThreads } from '../../server/src/render/workers/BakeThreads.ts';
import { createS3Client } from '../../server/src/storage/createS3Client.ts';
import { startEmbeddedS3 } from '../../server/src/storage/startEmbeddedS3.ts';

const [planPath, stemsDir, outFile, workers, blockFrames, mode = 'bake'] = process.argv.slice(2);
const plan = JSON.parse(await readFile(planPath!, 'utf8')) as MixPlan;
const rssAt: { percent: number; rssMb: number }[] = [];
let nextMark = 10;
/** CPU seconds of each OS thread of this process so far, by thread id (Linux /proc; empty elsewhere). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, USER_HZ 100
    } catch {
      // the thread ended between readdir and read
    }
  }
  return out;
}
/** CPU seconds of this process's ended child processes (the native MP3 encoder): cutime + cstime, Linux /proc; 0 elsewhere. */
function childrenCpu(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}
/**
 * The native codecs' processes (lame, flac, mpg123), children of any thread of this process,
 * by pid: name and CPU seconds so far (Linux /proc). Sampled with the threads, so a process's
 * last 250 ms can be missed; the exact total of all of them is `childrenCpu`.
 */
const codecs = new Map<string, { name: string; cpu: number; warm: boolean }>();
let inWarm = false;
function sampleCodecs(): void {
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const tid of tids) {
    let kids: string[] = [];
    try {
      kids = readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean);
    } catch {
      continue;
    }
    for (const pid of kids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\.bin$/, '');
        const cpu = (Number(fields[11]) + Number(fields[12])) / 100;
        codecs.set(pid, { name, cpu: Math.max(cpu, codecs.get(pid)?.cpu ?? 0), warm: codecs.get(pid)?.warm ?? inWarm });
      } catch {
        // it ended meanwhile
      }
    }
  }
}
/** Sampled CPU seconds of the codec processes by name, of the cold or the warm bake. */
function codecSplit(warm: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of codecs.values()) if (c.warm === warm) out[c.name] = (out[c.name] ?? 0) + c.cpu;
  return out;
}
// Worker threads end with the bake, so their CPU is sampled along the way (last sample wins).
const threads = new Map<string, number>();
const sampleThreads = (): void => {
  threadCpu().forEach((cpu, tid) => threads.set(tid, cpu));
  sampleCodecs();
};
const mainTid = String(process.pid);
const mainBefore = threadCpu().get(mainTid) ?? 0;
// Every 250 ms: reading /proc for ~20 threads costs main-thread CPU that the figures would
// include (every 50 ms it showed as 0.49 s of the main thread's --cpu-prof samples in a
// version run). The totals come from getrusage, which counts ended threads too.
const sampler = setInterval(sampleThreads, 250);
const onProgress = (p: { percent: number; phase: string }): void => {
  if (p.phase !== phases.at(-1)?.phase) phases.push({ phase: p.phase, at: (performance.now() - t0) / 1000 });
  if (p.percent >= nextMark) {
    rssAt.push({ percent: Math.round(p.percent), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
    while (nextMark <= p.percent) nextMark += 10;
  }
};
const phases: { phase: string; at: number }[] = [];
/** Threads that exist before the bake (main, V8's helpers, libuv's pool, the store's): the rest are the bake's. */
let before = new Set(threadCpu().keys());
let t0 = performance.now();
type Result = { sha256: string; loudness: unknown; workers: number; mp3Encoder?: string | null; flacEncoder?: string | null; mp3MeterDecoder?: string | null; files?: { format: string; sha256: string; bytes: number; measurement: unknown }[] };
let result: Result;

/** CPU seconds by thread between two samples of `threads` (a thread started since counts whole). */
function threadSplit(from: ReadonlyMap<string, number>, to: ReadonlyMap<string, number>, bakeWorkers: number) {
  const delta = [...to].map(([tid, c]) => [tid, c - (from.get(tid) ?? 0)] as const);
  // Thread ids grow in creation order: the track workers start first, then the encoder threads.
  const started = delta.filter(([tid, c]) => !before.has(tid) && !(from.has(tid) && c === 0)).sort(([a], [b]) => Number(a) - Number(b)).map(([, c]) => c);
  return {
    /** The bake's main thread during the bake (bus sums, master chain, feeding the encoders, storing). */
    mainDuringBake: delta.find(([tid]) => tid === mainTid)?.[1] ?? 0,
    /** The track workers (sampled every 250 ms, so up to 250 ms short). */
    workers: started.slice(0, bakeWorkers),
    /** The encoder threads, in start order (WAV 24 alone; or the PCM formats, then the MP3). */
    encoders: started.slice(bakeWorkers),
    /** Everything else: GC and compiler helpers, libuv's file I/O pool. */
    rest: delta.filter(([tid]) => tid !== mainTid && before.has(tid)).reduce((a, [, c]) => a + c, 0),
  };
}

/** The first (cold) bake's figures: the whole process so far, start-up included. */
let cold: { seconds: number; cpu: NodeJS.CpuUsage; children: number; threads: Map<string, number> } | null = null;
/** Version mode: the same bake again in this process, with the threads the first one kept. */
let warm: { seconds: number; cpuSeconds: number; phases: typeof phases; threadCpuSeconds: ReturnType<typeof threadSplit> & { children: number; codecs: Record<string, number> }; threadsStarted: { track: number; format: number } } | null = null;
if (mode === 'mp3') {
  // The MP3 writer alone (encode, decode meter, spool, file) on the bake's master (<out.wav>,
  // WAV 24), with each LAME and each meter decoder in turn: what each costs, child processes
  // included, same minutes.
  const bytes = new Uint8Array(await readFile(outFile!));
  const header = parseWavHeader(bytes);
  if ('pending' in header || !header.sampleFormat) throw new Error('the bench master is not a WAV this reader decodes');
  const frames = Math.floor((bytes.length - header.dataOffset) / header.blockAlign);
  const master = [new Float32Array(frames), new Float32Array(frames)];
  decodeWavFrames(bytes.subarray(header.dataOffset), header.sampleFormat, frames, master, 0);
  const block = Number(blockFrames);
  /** One writer over the whole master into a temp folder of its own: its CPU (ours and its children's) and wall time. */
  const timeWriter = async (name: string, create: (tmpDir: string) => Promise<FormatWriter>) => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), `mixroom-bench-${name}-`));
    const cpu0 = process.cpuUsage();
    const children0 = childrenCpu();
    const t = performance.now();
    const writer = await create(tmp);
    for (let at = 0; at < frames; at += block) {
      const n = Math.min(block, frames - at);
      await writer.write(master.map((c) => c.subarray(at, at + n)), n);
    }
    await writer.finish(new AbortController().signal);
    await writer.discard();
    await rm(tmp, { recursive: true, force: true });
    const cpu = process.cpuUsage(cpu0);
    return { cpuSeconds: (cpu.user + cpu.system) / 1e6, childSeconds: childrenCpu() - children0, seconds: (performance.now() - t) / 1000 };
  };
  const runs: { encoder: string; meter?: string; cpuSeconds: number; childSeconds: number; seconds: number }[] = [];
  const combos = [['native', 'native'], ['native', 'wasm'], ['wasm', 'wasm']] as const;
  for (const [encoder, meter] of [...combos, ...combos]) {
    const choice = await resolveMp3Encoder(encoder).catch(() => null);
    const meterChoice = await resolveMp3MeterDecoder(meter).catch(() => null);
    if (!choice || !meterChoice) continue;
    const cost = await timeWriter('mp3', (tmpDir) =>
      createMp3FormatWriter({ format: 'mp3', sampleRate: plan.sampleRate, channels: 2, totalFrames: frames, maxBlockFrames: block, ceilingDb: -1, measure: true, startGainDb: -0.5, tmpDir, mp3Encoder: choice, mp3MeterDecoder: meterChoice }),
    );
    runs.push({ encoder, meter, ...cost });
  }
  // The FLAC writer alone on the same master, each encoder in turn (the WAV 24's twin: not metered).
  const flacRuns: typeof runs = [];
  for (const encoder of ['native', 'wasm', 'native', 'wasm'] as const) {
    const choice = await resolveFlacEncoder(encoder).catch(() => null);
    if (!choice) continue;
    const cost = await timeWriter('flac', (tmpDir) =>
      createPcmFormatWriter({ format: 'flac', sampleRate: plan.sampleRate, channels: 2, totalFrames: frames, maxBlockFrames: block, ceilingDb: -1, measure: false, tmpDir, flacEncoder: choice }),
    );
    flacRuns.push({ encoder, ...cost });
  }
  process.stdout.write(`${JSON.stringify({ mp3Runs: runs, flacRuns })}\n`);
  process.exit(0);
}
if (mode === 'version') {
  // The store runs in this process, as the embedded default does in the server, and so do
  // the threads a server keeps between bakes.
  const store = await startEmbeddedS3({ dataDir: path.join(stemsDir!, 's3'), port: 0 });
  const s3 = createS3Client({ endpoint: store.endpoint, region: store.region, ...store.credentials, forcePathStyle: true });
  const kept = new BakeThreads();
  const bake = async (): Promise<Result> => {
    const r = await renderBakeFormats(plan, {
      formats: ['wav24', 'wav16', 'flac', 'mp3'],
      // As the server reads the embedded store's stems: from its files (createEmbeddedStemSource).
      stems: createEmbeddedStemSource({ dataDir: path.join(stemsDir!, 's3'), bucket: 'bench' }),
      // And stores the files into its files, as the server does with the embedded store.
      store: { s3, bucket: 'bench', keyPrefix: 'bench/bakes', embeddedDataDir: path.join(stemsDir!, 's3') },
      workers: Number(workers),
      blockFrames: Number(blockFrames),
      onProgress,
      threads: kept,
      // auto (the server's default): the native LAME when installed; `wasm` measures the fallback.
      mp3Encoder: (process.env.BAKE_BENCH_MP3_ENCODER ?? 'auto') as Mp3EncoderSetting,
      flacEncoder: (process.env.BAKE_BENCH_FLAC_ENCODER ?? 'auto') as FlacEncoderSetting,
      mp3MeterDecoder: (process.env.BAKE_BENCH_MP3_METER_DECODER ?? 'auto') as NativeCodecSetting,
    });
    return { sha256: r.files[0]!.sha256, loudness: r.loudness, workers: r.workers, mp3Encoder: r.mp3Encoder, flacEncoder: r.flacEncoder, mp3MeterDecoder: r.mp3MeterDecoder, files: r.files.map((f) => ({ format: f.format, sha256: f.sha256, bytes: f.bytes, measurement: f.measurement })) };
  };
  try {
    before = new Set(threadCpu().keys());
    t0 = performance.now();
    result = await bake();
    sampleThreads();
    cold = { seconds: (performance.now() - t0) / 1000, cpu: process.cpuUsage(), children: childrenCpu(), threads: new Map(threads) };
    const coldPhases = phases.splice(0);
    const cpu0 = process.cpuUsage();
    const children0 = childrenCpu();
    inWarm = true;
    t0 = performance.now();
    const again = await bake();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const children = childrenCpu() - children0;
    sampleThreads();
    if (again.sha256 !== result.sha256) throw new Error(`the warm bake gave ${again.sha256}, the cold one ${result.sha256}`);
    warm = {
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6 + children,
      phases: phases.splice(0, phases.length, ...coldPhases),
      threadCpuSeconds: { ...threadSplit(cold.threads, threads, again.workers), children, codecs: codecSplit(true) },
      threadsStarted: { track: kept.track.started, format: kept.format.started },
    };
  } finally {
    await kept.close();
    s3.destroy();
    await store.close();
  }
} else {
  result = await renderBake(plan, {
    format: 'wav24',
    stems: createFileStemSource(stemsDir!),
    outFile: outFile!,
    workers: Number(workers),
    blockFrames: Number(blockFrames),
    onProgress,
  });
}
const seconds = cold?.seconds ?? (performance.now() - t0) / 1000;
clearInterval(sampler);
sampleThreads();
const cpu = cold?.cpu ?? process.cpuUsage(); // whole process: main thread and every worker thread
const children = cold?.children ?? childrenCpu();
const threadCpuSeconds = { ...threadSplit(new Map([[mainTid, mainBefore]]), cold?.threads ?? threads, result.workers), children, codecs: codecSplit(false) };
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 + children, mp3Encoder: result.mp3Encoder, flacEncoder: result.flacEncoder, mp3MeterDecoder: result.mp3MeterDecoder, peakRssBytes: process.resourceUsage().maxRSS * 1024, rssAt, threadCpuSeconds, sha256: result.sha256, loudness: result.loudness, workers: result.workers, phases, files: result.files, warm })}\n`,
);
