import { copyFile, rename } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { LoudnessMeter } from '@mixroom/shared/dsp';
import type { MixPlan } from '@mixroom/shared/plan';
import { BakeError, cancelledError } from './BakeError.ts';
import type { FormatMeasurement } from '@mixroom/shared/review';
import type { SealedBakeFile } from './BakeFileSink.ts';
import { BAKE_FORMAT_INFO, isBakeFormat, type BakeFormat } from './BakeFormat.ts';
import { type BakeProgress, createProgressReporter } from './BakeProgress.ts';
import { bakeMix, type BakeMixOptions, DEFAULT_BAKE_BLOCK_FRAMES } from './bakeMix.ts';
import { createFormatWriter } from './deliver/createFormatWriter.ts';
import type { FormatWriter } from './deliver/FormatWriter.ts';
import { mp3StartGainDb } from './deliver/createMp3FormatWriter.ts';
import { planDeliverable } from './deliver/planDeliverable.ts';
import { type LoudnessReport, toLoudnessReport } from './LoudnessReport.ts';
import { WasmTruePeakMeter } from './master/WasmTruePeakMeter.ts';
import type { StoredBake } from './storeBake.ts';

export interface RenderBakeFormatsOptions extends Omit<BakeMixOptions, 'onFrames'> {
  /** Formats to encode from the one render, each at most once; results come in this order. */
  formats: readonly BakeFormat[];
  /** Progress of the single render pass (percent and ETA). */
  onProgress?: (progress: BakeProgress) => void;
  /** Upload every finished file here (key: `<keyPrefix>/<sha256>.<ext>`), all or none. */
  store?: { s3: S3Client; bucket: string; keyPrefix: string };
  /** Also copy finished files to these local paths (the CLI). */
  outFiles?: Partial<Record<BakeFormat, string>>;
  /** Folder for the temp files while encoding (default: the OS temp dir). */
  tmpDir?: string;
  /** Clock for progress/ETA (injected for tests). */
  now?: () => number;
  /** True-peak ceiling the files are checked against (dBTP). Default: the plan's master limiter's, else 0. */
  ceilingDb?: number;
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
}

/**
 * Renders the mix once (bakeMix, the expensive part) and feeds each master block to every
 * requested encoder and to one loudness meter. Each encoder owns its own TpdfQuantizer with
 * the same default seed a single-format bake uses, so every file's bytes (and hash) equal
 * that format's separate bake. Nothing reaches S3 unless every format encoded; if any upload
 * fails or the bake is cancelled while storing, the objects this bake created are deleted.
 * Every temp file is removed in all cases.
 */
export async function renderBakeFormats(plan: MixPlan, options: RenderBakeFormatsOptions): Promise<BakeFormatsResult> {
  const signal = options.signal ?? new AbortController().signal;
  const formats = checkFormats(options.formats);
  const report = createProgressReporter(plan.frames, plan.sampleRate, options.onProgress, options.now);
  const stream = await bakeMix(plan, { ...options, signal, onFrames: (done) => report(done) });
  const writers: FormatWriter[] = [];
  const blocks = stream[Symbol.asyncIterator]();
  const deliverable = planDeliverable(plan);
  const ceilingDb = options.ceilingDb ?? deliverable.ceilingDb;
  try {
    for (const format of formats) {
      writers.push(
        await createFormatWriter({
          format,
          sampleRate: plan.sampleRate,
          channels: 2,
          totalFrames: stream.info.frames,
          maxBlockFrames: options.blockFrames ?? DEFAULT_BAKE_BLOCK_FRAMES,
          ceilingDb,
          measure: !(format === 'flac' && formats.includes('wav24')),
          startGainDb: mp3StartGainDb(deliverable.limited),
          ...(options.tmpDir !== undefined ? { tmpDir: options.tmpDir } : {}),
        }),
      );
    }
    // True peak on WebAssembly SIMD: TruePeakMeter's reading bit for bit, ~1.6x less main-thread CPU.
    const meter = new LoudnessMeter(plan.sampleRate, 2, { truePeakMeter: () => new WasmTruePeakMeter() });
    for (;;) {
      const next = await blocks.next();
      if (next.done) break;
      const { channels, frames } = next.value;
      // The block is only valid until the next iteration: every writer encodes it before its
      // first await, and the loop moves on once every file has its bytes.
      meter.process(channels);
      await Promise.all(writers.map((w) => w.write(channels, frames)));
    }
    const finished = await Promise.all(writers.map((w) => w.finish(signal)));
    const sealed = finished.map((f) => f.file);
    const measurements = finished.map((f) => f.measurement ?? finished[formats.indexOf('wav24')]!.measurement!);
    if (signal.aborted) throw cancelledError(signal);
    for (const [i, format] of formats.entries()) {
      const out = options.outFiles?.[format];
      // Without an upload to follow, the temp file itself becomes the output (no 70 MB copy).
      if (out) await (options.store ? copyFile(sealed[i]!.path, out) : moveFile(sealed[i]!.path, out));
    }
    const stored = options.store ? await storeAll(sealed, formats, options.store, signal) : null;
    return {
      sampleRate: plan.sampleRate,
      frames: stream.info.frames,
      durationSeconds: stream.info.frames / plan.sampleRate,
      loudness: toLoudnessReport(meter.summary()),
      latencyFrames: stream.info.latencyFrames,
      workers: stream.info.workers,
      ceilingDb,
      files: formats.map((format, i) => ({
        format,
        bytes: sealed[i]!.bytes,
        sha256: sealed[i]!.sha256,
        contentType: BAKE_FORMAT_INFO[format].contentType,
        stored: stored?.[i] ?? null,
        measurement: measurements[i]!,
      })),
    };
  } catch (err) {
    if (signal.aborted && !(err instanceof BakeError && err.code === 'cancelled')) throw cancelledError(signal);
    throw err;
  } finally {
    await blocks.return?.(undefined);
    await stream.close();
    await Promise.all(writers.map((w) => w.discard()));
  }
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
 * Uploads every file, all or none. Keys are content hashes, so an object may already exist
 * (an unchanged version baked before, referenced by that version): such objects are never
 * deleted on rollback, only the ones this bake created.
 */
async function storeAll(
  sealed: readonly SealedBakeFile[],
  formats: readonly BakeFormat[],
  store: NonNullable<RenderBakeFormatsOptions['store']>,
  signal: AbortSignal,
): Promise<StoredBake[]> {
  // Loaded on first use: a bake to a local file (the CLI) does not pay for the AWS SDK.
  const [{ storeBake }, { DeleteObjectCommand }] = await Promise.all([import('./storeBake.ts'), import('@aws-sdk/client-s3')]);
  const prefix = store.keyPrefix.replace(/\/+$/, '');
  const keys = sealed.map((f, i) => `${prefix}/${f.sha256}.${BAKE_FORMAT_INFO[formats[i]!].extension}`);
  const existed = await Promise.all(keys.map((Key) => objectExists(store.s3, store.bucket, Key, signal)));
  const results = await Promise.allSettled(
    sealed.map((file, i) => {
      const info = BAKE_FORMAT_INFO[formats[i]!];
      return storeBake(file, { ...store, extension: info.extension, contentType: info.contentType, signal });
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed && !signal.aborted) return results.map((r) => (r as PromiseFulfilledResult<StoredBake>).value);
  // Also delete keys whose PUT was aborted: the store may have completed it anyway. Not tied to
  // the (possibly aborted) bake signal, so the rollback itself runs to the end.
  await Promise.all(
    keys.map((Key, i) => (existed[i] ? null : store.s3.send(new DeleteObjectCommand({ Bucket: store.bucket, Key })).catch(() => {}))),
  );
  if (signal.aborted) throw cancelledError(signal);
  throw failed!.reason;
}

async function objectExists(s3: S3Client, bucket: string, Key: string, signal: AbortSignal): Promise<boolean> {
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }), { abortSignal: signal });
    return true;
  } catch (err) {
    if (signal.aborted) throw cancelledError(signal);
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return false;
    throw new BakeError('storage', `Checking the bake's storage failed: ${(err as Error).message}`, { cause: err });
  }
}
