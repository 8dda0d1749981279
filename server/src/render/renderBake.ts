import { copyFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { LoudnessMeter } from '@mixroom/shared/dsp';
import type { MixPlan } from '@mixroom/shared/plan';
import { BakeError, cancelledError } from './BakeError.ts';
import { BakeFileSink } from './BakeFileSink.ts';
import { BAKE_FORMAT_INFO, type BakeFormat } from './BakeFormat.ts';
import { type BakeProgress, createProgressReporter } from './BakeProgress.ts';
import { bakeMix, type BakeMixOptions } from './bakeMix.ts';
import { createMasterEncoder } from './createMasterEncoder.ts';
import { type LoudnessReport, toLoudnessReport } from './LoudnessReport.ts';
import type { MasterEncoder } from './MasterEncoder.ts';
import { storeBake, type StoredBake } from './storeBake.ts';

export interface RenderBakeOptions extends Omit<BakeMixOptions, 'onFrames'> {
  format: BakeFormat;
  onProgress?: (progress: BakeProgress) => void;
  /** Upload the finished file here (key: `<keyPrefix>/<sha256>.<ext>`). */
  store?: { s3: S3Client; bucket: string; keyPrefix: string };
  /** Also copy the finished file to this local path (the CLI). */
  outFile?: string;
  /** Folder for the temp file while encoding (default: the OS temp dir). */
  tmpDir?: string;
  /** Clock for progress/ETA (injected for tests). */
  now?: () => number;
}

export interface BakeResult {
  format: BakeFormat;
  sampleRate: number;
  frames: number;
  durationSeconds: number;
  /** Size and SHA-256 of the exact bytes a user downloads. */
  bytes: number;
  sha256: string;
  contentType: string;
  loudness: LoudnessReport;
  /** Master-path latency removed from the start. */
  latencyFrames: number;
  workers: number;
  stored: StoredBake | null;
}

/**
 * A whole bake: plan -> master (bakeMix) -> loudness meter + encoder -> temp file -> hash ->
 * S3 (and/or a local file). Nothing reaches S3 unless every block baked and encoded; on
 * cancel or error the temp file is deleted and the workers stopped.
 */
export async function renderBake(plan: MixPlan, options: RenderBakeOptions): Promise<BakeResult> {
  const signal = options.signal ?? new AbortController().signal;
  const info = BAKE_FORMAT_INFO[options.format];
  if (!info) throw new BakeError('plan-invalid', `Unknown bake format "${String(options.format)}".`);
  const report = createProgressReporter(plan.frames, plan.sampleRate, options.onProgress, options.now);
  const stream = await bakeMix(plan, { ...options, signal, onFrames: (done) => report(done) });
  let encoder: MasterEncoder | null = null;
  let sink: BakeFileSink | null = null;
  const blocks = stream[Symbol.asyncIterator]();
  try {
    encoder = await createMasterEncoder(options.format, {
      sampleRate: plan.sampleRate,
      channels: 2,
      totalFrames: stream.info.frames,
      maxBlockFrames: options.blockFrames ?? 8192,
    });
    sink = await BakeFileSink.create(info.extension, options.tmpDir);
    const meter = new LoudnessMeter(plan.sampleRate, 2);
    for (;;) {
      const next = await blocks.next();
      if (next.done) break;
      const { channels, frames } = next.value;
      meter.process(channels);
      await sink.write(encoder.encode(channels, frames));
    }
    await sink.write(encoder.finish());
    const sealed = await sink.seal(encoder.headerPatches());
    if (signal.aborted) throw cancelledError(signal);
    if (options.outFile) await copyFile(sealed.path, options.outFile);
    const stored = options.store
      ? await storeBake(sealed, { ...options.store, extension: info.extension, contentType: info.contentType, signal })
      : null;
    return {
      format: options.format,
      sampleRate: plan.sampleRate,
      frames: stream.info.frames,
      durationSeconds: stream.info.frames / plan.sampleRate,
      bytes: sealed.bytes,
      sha256: sealed.sha256,
      contentType: info.contentType,
      loudness: toLoudnessReport(meter.summary()),
      latencyFrames: stream.info.latencyFrames,
      workers: stream.info.workers,
      stored,
    };
  } catch (err) {
    if (signal.aborted && !(err instanceof BakeError && err.code === 'cancelled')) throw cancelledError(signal);
    throw err;
  } finally {
    await blocks.return?.(undefined);
    await stream.close();
    encoder?.dispose();
    await sink?.discard();
  }
}
