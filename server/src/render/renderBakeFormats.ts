import { copyFile, rename, rm } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { S3Client } from '@aws-sdk/client-s3';
import type { MixPlan } from '@mixroom/shared/plan';
import { BakeError, cancelledError } from './BakeError.ts';
import type { FormatMeasurement } from '@mixroom/shared/review';
import type { SealedBakeFile } from './deliver/BakeFileSink.ts';
import { BAKE_FORMAT_INFO, isBakeFormat, type BakeFormat } from './BakeFormat.ts';
import { type BakeProgress, BakeProgressTracker } from './BakeProgress.ts';
import { bakeMix, type BakeMixOptions, type BakeMixStream, DEFAULT_BAKE_BLOCK_FRAMES } from './bakeMix.ts';
import { mp3StartGainDb } from './deliver/createMp3FormatWriter.ts';
import { createInlineEncoders, type FormatEncoders } from './deliver/FormatEncoders.ts';
import { FormatThreads } from './workers/FormatThreads.ts';
import type { Mp3EncoderChoice, Mp3EncoderSetting } from './encode/Mp3Encoder.ts';
import { resolveMp3Encoder } from './encode/resolveMp3Encoder.ts';
import type { FlacEncoderChoice, FlacEncoderSetting } from './encode/FlacEncoder.ts';
import { resolveFlacEncoder } from './encode/resolveFlacEncoder.ts';
import type { NativeCodecChoice, NativeCodecSetting } from './encode/nativeCodecChoice.ts';
import { resolveMp3MeterDecoder } from './deliver/resolveMp3MeterDecoder.ts';
import type { FormatWriterOptions, FormatWriterResult } from './deliver/FormatWriter.ts';
import { planDeliverable } from './deliver/planDeliverable.ts';
import { type LoudnessReport, toLoudnessReport } from './LoudnessReport.ts';
import type { StoredBake } from './deliver/storeBake.ts';
import type { BakeObjects } from './deliver/BakeObjects.ts';
import { createEmbeddedBakeObjects } from './deliver/createEmbeddedBakeObjects.ts';
import { createBakeTempDir, sweepDeadBakeTempDirs } from './deliver/bakeTempDir.ts';
import { createS3BakeObjects } from './deliver/createS3BakeObjects.ts';

/** Where a bake's files are stored. */
export interface BakeStoreTarget {
  s3: S3Client;
  bucket: string;
  keyPrefix: string;
  /**
   * The embedded store's data folder, when that store runs in this process: files are moved
   * into its own files (`createEmbeddedBakeObjects`) instead of uploaded through its HTTP API.
   */
  embeddedDataDir?: string;
}

export interface RenderBakeFormatsOptions extends Omit<BakeMixOptions, 'onFrames'> {
  /** Formats to encode from the one render, each at most once; results come in this order. */
  formats: readonly BakeFormat[];
  /** Progress of the single render pass (percent and ETA). */
  onProgress?: (progress: BakeProgress) => void;
  /** Upload every finished file here (key: `<keyPrefix>/<sha256>.<ext>`), all or none. */
  store?: BakeStoreTarget;
  /** Also copy finished files to these local paths (the CLI). */
  outFiles?: Partial<Record<BakeFormat, string>>;
  /** Folder for the temp files while encoding (default: the OS temp dir). */
  tmpDir?: string;
  /** Clock for progress/ETA (injected for tests). */
  now?: () => number;
  /** True-peak ceiling the files are checked against (dBTP). Default: the plan's master limiter's, else 0. */
  ceilingDb?: number;
  /** Encode each format in its own thread, in parallel with the render (default), or all on this thread. */
  encodeInThreads?: boolean;
  /** Which LAME encodes the MP3 (`MP3_ENCODER`; default `auto`: the native one when installed). */
  mp3Encoder?: Mp3EncoderSetting;
  /** Which libFLAC encodes the FLAC (`FLAC_ENCODER`; default `auto`: the native `flac` when installed). */
  flacEncoder?: FlacEncoderSetting;
  /** Which mpg123 decodes the MP3 for its meter (`MP3_METER_DECODER`; default `auto`: the native one when installed). */
  mp3MeterDecoder?: NativeCodecSetting;
  /** Called with the encoder threads once they run (tests end one to see the bake fail cleanly). */
  onEncoderThreads?: (threads: { format: BakeFormat; worker: Worker }[]) => void;
}

/** One encoded file of a bake. */
export interface BakeFileResult {
  format: BakeFormat;
  /** Size and SHA-256 of the exact bytes a user downloads. */
  bytes: number;
  sha256: string;
  contentType: string;
  stored: StoredBake | null;
  /**
   * Loudness, true peak and clipped samples of what a decoder of this file gets. FLAC holds
   * the WAV 24's very samples (same quantiser, lossless), so with both baked it carries
   * the WAV 24's measurement instead of metering the same integers twice.
   */
  measurement: FormatMeasurement;
}

export interface BakeFormatsResult {
  sampleRate: number;
  frames: number;
  durationSeconds: number;
  /** Measured on the float master before any dither, so it holds for every format. */
  loudness: LoudnessReport;
  /** Master-path latency removed from the start. */
  latencyFrames: number;
  workers: number;
  /** True-peak ceiling the files were checked against (dBTP). */
  ceilingDb: number;
  /** One per requested format, in the order asked. */
  files: BakeFileResult[];
  /** Which LAME encoded the MP3 (null without one). */
  mp3Encoder: Mp3EncoderChoice['kind'] | null;
  /** Which libFLAC encoded the FLAC (null without one). */
  flacEncoder: FlacEncoderChoice['kind'] | null;
  /** Which mpg123 decoded the MP3 for its meter (null without one). */
  mp3MeterDecoder: NativeCodecChoice['kind'] | null;
}

/**
 * Renders the mix once (bakeMix, the expensive part) and streams each master block to every
 * requested format's encoder thread (and the master's loudness meter) as it is produced, so
 * the formats encode in parallel with the render and with each other; the render waits when
 * the slowest encoder is a ring of blocks behind. Each encoder owns its own TpdfQuantizer
 * with the same default seed a single-format bake uses, so every file's bytes (and hash)
 * equal that format's separate bake, threaded or not. Files are stored as they are sealed;
 * nothing stays in S3 unless every format encoded and stored (the objects this bake created
 * are deleted otherwise). Every temp file is removed in all cases.
 */
export async function renderBakeFormats(plan: MixPlan, options: RenderBakeFormatsOptions): Promise<BakeFormatsResult> {
  const signal = options.signal ?? new AbortController().signal;
  const formats = checkFormats(options.formats);
  const progress = new BakeProgressTracker(plan.frames, plan.sampleRate, options.onProgress, options.now);
  progress.start();
  const deliverable = planDeliverable(plan);
  const ceilingDb = options.ceilingDb ?? deliverable.ceilingDb;
  // Every temp file of this bake (each format's file, the MP3's spool) lives in one folder,
  // removed at the end whatever happened, even if an encoder thread died holding files. A
  // process killed mid-bake runs no `finally`: the next bake on this host removes its folder.
  const mp3Encoder = formats.includes('mp3') ? await resolveMp3Encoder(options.mp3Encoder ?? 'auto') : undefined;
  const flacEncoder = formats.includes('flac') ? await resolveFlacEncoder(options.flacEncoder ?? 'auto') : undefined;
  const mp3MeterDecoder = formats.includes('mp3') ? await resolveMp3MeterDecoder(options.mp3MeterDecoder ?? 'auto') : undefined;
  await sweepDeadBakeTempDirs(options.tmpDir);
  const tmp = await createBakeTempDir(options.tmpDir);
  const writerOptions: FormatWriterOptions[] = formats.map((format) => ({
    format,
    sampleRate: plan.sampleRate,
    channels: 2,
    totalFrames: plan.frames,
    maxBlockFrames: options.blockFrames ?? DEFAULT_BAKE_BLOCK_FRAMES,
    ceilingDb,
    measure: !(format === 'flac' && formats.includes('wav24')),
    startGainDb: mp3StartGainDb(deliverable.limited),
    tmpDir: tmp,
    ...(format === 'mp3' && mp3Encoder ? { mp3Encoder } : {}),
    ...(format === 'mp3' && mp3MeterDecoder ? { mp3MeterDecoder } : {}),
    ...(format === 'flac' && flacEncoder ? { flacEncoder } : {}),
  }));
  let mp3Pass: number | null = null;
  const events = { onPass: (_format: BakeFormat, pass: number) => void (mp3Pass = pass) };
  let stream: BakeMixStream | null = null;
  let encoders: FormatEncoders | null = null;
  try {
    // The encoder threads boot while the stems open and the track workers start.
    const started = await Promise.allSettled([
      bakeMix(plan, { ...options, signal, onFrames: (done) => progress.frames(done) }),
      options.encodeInThreads === false
        ? createInlineEncoders(writerOptions, signal, events)
        : FormatThreads.start(writerOptions, meterThread(formats), events, undefined, options.threads?.format).then((t) => (options.onEncoderThreads?.(t.workers), t)),
    ]);
    if (started[0].status === 'fulfilled') stream = started[0].value;
    if (started[1].status === 'fulfilled') encoders = started[1].value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const bake = stream!;
    const out = encoders!;
    for await (const { channels, frames } of bake) {
      // The block is only valid until the next iteration: write() has copied it when it resolves.
      await out.write(channels, frames);
      if (signal.aborted) throw cancelledError(signal);
    }
    if (signal.aborted) throw cancelledError(signal);
    const finished = out.finish();
    const pending = new Set(formats);
    const report = () => progress.encoding([...pending], mp3Pass);
    report();
    const tick = setInterval(report, 250);
    // Each file is stored (or moved to its out path) as soon as it is sealed, while the
    // others may still be encoding: all or none reach S3 (see BakeStore).
    // The room says "encoding" while any format still encodes (files already sealed upload
    // meanwhile), then "storing" with the bytes left.
    let uploaded = { done: 0, total: 0, left: [] as BakeFormat[] };
    const store = options.store
      ? new BakeStore(options.store, signal, (done, total, left) => {
          uploaded = { done, total, left };
          if (pending.size === 0) progress.storing(done, total, left);
        })
      : null;
    const settled = await Promise.allSettled(
      finished.results.map(async (result, i) => {
        const r = await result;
        pending.delete(formats[i]!);
        if (pending.size === 0) {
          clearInterval(tick);
          if (store) progress.storing(uploaded.done, Math.max(uploaded.total, r.file.bytes), [...uploaded.left, formats[i]!]);
        }
        const outFile = options.outFiles?.[formats[i]!];
        // Without an upload to follow, the temp file itself becomes the output (no 70 MB copy).
        if (outFile) await (store ? copyFile(r.file.path, outFile) : moveFile(r.file.path, outFile));
        const stored = store ? await store.put(formats[i]!, r.file) : null;
        return { ...r, stored };
      }),
    );
    clearInterval(tick);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed || signal.aborted) {
      await store?.rollback();
      if (signal.aborted) throw cancelledError(signal);
      throw failed!.reason;
    }
    const done = settled.map((r) => (r as PromiseFulfilledResult<FormatWriterResult & { stored: StoredBake | null }>).value);
    const measurements = done.map((d) => d.measurement ?? done[formats.indexOf('wav24')]!.measurement!);
    const master = await finished.master;
    progress.done();
    return {
      sampleRate: plan.sampleRate,
      frames: bake.info.frames,
      durationSeconds: bake.info.frames / plan.sampleRate,
      loudness: toLoudnessReport(master!),
      latencyFrames: bake.info.latencyFrames,
      workers: bake.info.workers,
      ceilingDb,
      mp3Encoder: mp3Encoder?.kind ?? null,
      flacEncoder: flacEncoder?.kind ?? null,
      mp3MeterDecoder: mp3MeterDecoder?.kind ?? null,
      files: formats.map((format, i) => ({
        format,
        bytes: done[i]!.file.bytes,
        sha256: done[i]!.file.sha256,
        contentType: BAKE_FORMAT_INFO[format].contentType,
        stored: done[i]!.stored,
        measurement: measurements[i]!,
      })),
    };
  } catch (err) {
    if (signal.aborted && !(err instanceof BakeError && err.code === 'cancelled')) throw cancelledError(signal);
    throw err;
  } finally {
    await stream?.close();
    await encoders?.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The thread that also meters the float master: the cheapest encoder's. */
function meterThread(formats: readonly BakeFormat[]): number {
  for (const f of ['wav16', 'wav24', 'flac', 'mp3'] as const) if (formats.includes(f)) return formats.indexOf(f);
  return 0;
}

/** Renames, or copies when `to` is on another file system. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
  }
}

function checkFormats(formats: readonly BakeFormat[]): readonly BakeFormat[] {
  if (!Array.isArray(formats) || formats.length === 0) throw new BakeError('plan-invalid', 'A bake needs at least one output format.');
  for (const f of formats) if (!isBakeFormat(f)) throw new BakeError('plan-invalid', `Unknown bake format "${String(f)}".`);
  if (new Set(formats).size !== formats.length) throw new BakeError('plan-invalid', `A bake format is listed twice (${formats.join(', ')}).`);
  return formats;
}

/**
 * Uploads files as they are sealed, all or none: keys are content hashes, so an object may
 * already exist (an unchanged version baked before, referenced by that version); `rollback`
 * deletes only the objects this bake created, and keys whose upload was cut off (the store
 * may have completed it anyway), not tied to the (possibly aborted) bake signal.
 */
class BakeStore {
  private readonly created: string[] = [];
  private readonly attempted = new Map<string, Promise<boolean>>();
  private total = 0;
  private done = 0;
  private readonly left = new Set<BakeFormat>();

  private readonly objects: BakeObjects;

  constructor(
    private readonly store: BakeStoreTarget,
    private readonly signal: AbortSignal,
    private readonly onBytes: (done: number, total: number, left: BakeFormat[]) => void,
  ) {
    this.objects = store.embeddedDataDir !== undefined ? createEmbeddedBakeObjects(store.embeddedDataDir, store.bucket) : createS3BakeObjects(store.s3, store.bucket);
  }

  async put(format: BakeFormat, file: SealedBakeFile): Promise<StoredBake> {
    const info = BAKE_FORMAT_INFO[format];
    const Key = `${this.store.keyPrefix.replace(/\/+$/, '')}/${file.sha256}.${info.extension}`;
    const existed = this.objects.exists(Key, this.signal);
    this.attempted.set(Key, existed.catch(() => true));
    if (!(await existed)) this.created.push(Key);
    this.total += file.bytes;
    this.left.add(format);
    let before = 0;
    await this.objects.put(file, Key, info.contentType, this.signal, (sent) => {
      this.done += sent - before;
      before = sent;
      this.onBytes(this.done, this.total, [...this.left]);
    });
    this.left.delete(format);
    this.onBytes(this.done, this.total, [...this.left]);
    return { bucket: this.store.bucket, key: Key, bytes: file.bytes, sha256: file.sha256, contentType: info.contentType };
  }

  async rollback(): Promise<void> {
    const keys = [...this.attempted.keys()];
    const existed = await Promise.all(keys.map((k) => this.attempted.get(k)!));
    await Promise.all(keys.map((Key, i) => (existed[i] && !this.created.includes(Key) ? null : this.objects.remove(Key).catch(() => {}))));
  }
}
