import type { S3Client } from '@aws-sdk/client-s3';
import { buildMixPlan } from '@mixroom/shared/plan';
import { RENDER_FORMATS } from '@mixroom/shared/review';
import type { FormatMeasurement, RenderFile, RenderFormat } from '@mixroom/shared/review';
import { renderBakeFormats } from '../render/renderBakeFormats.ts';
import type { StemSource } from '../render/input/StemSource.ts';
import type { BakeThreads } from '../render/workers/BakeThreads.ts';
import type { Mp3EncoderSetting } from '../render/encode/Mp3Encoder.ts';
import type { FlacEncoderSetting } from '../render/encode/FlacEncoder.ts';
import type { NativeCodecSetting } from '../render/encode/nativeCodecChoice.ts';
import type { BakeVersion } from './BakeVersion.ts';

export interface RenderBakerOptions {
  stems: StemSource;
  s3: S3Client;
  bucket: string;
  /** The embedded store's data folder when it runs in this process: bakes are moved into its files. */
  embeddedDataDir?: string;
  /** Formats to produce; `wav24` first (the reference an approval names). */
  formats?: readonly RenderFormat[];
  /** Bake worker threads (default: the render module's choice). */
  workers?: number;
  tmpDir?: string;
  /** Threads kept between bakes (the process's; see BakeThreads). */
  threads?: BakeThreads;
  /** Which LAME encodes the MP3 (`MP3_ENCODER`; default auto). */
  mp3Encoder?: Mp3EncoderSetting;
  /** Which libFLAC encodes the FLAC (`FLAC_ENCODER`; default auto). */
  flacEncoder?: FlacEncoderSetting;
  /** Which mpg123 decodes the MP3 for its meter (`MP3_METER_DECODER`; default auto). */
  mp3MeterDecoder?: NativeCodecSetting;
}

/**
 * {@link BakeVersion} over the render module: builds the version's MixPlan and bakes every
 * format from one render pass (`renderBakeFormats`: the mix is rendered once, each encoder
 * fed the same master), storing files under `rooms/<room>/bakes/<sha256>.<ext>`, all or none.
 * `loudness` is the master's before dither; `formats` measures each file as decoded.
 */
export function createRenderBaker(options: RenderBakerOptions): BakeVersion {
  const formats = options.formats ?? RENDER_FORMATS;
  return async (job) => {
    const plan = buildMixPlan(job.state);
    const result = await renderBakeFormats(plan, {
      formats,
      stems: options.stems,
      signal: job.signal,
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(options.tmpDir !== undefined ? { tmpDir: options.tmpDir } : {}),
      ...(options.threads ? { threads: options.threads } : {}),
      ...(options.mp3Encoder ? { mp3Encoder: options.mp3Encoder } : {}),
      ...(options.flacEncoder ? { flacEncoder: options.flacEncoder } : {}),
      ...(options.mp3MeterDecoder ? { mp3MeterDecoder: options.mp3MeterDecoder } : {}),
      store: {
        s3: options.s3,
        bucket: options.bucket,
        keyPrefix: `rooms/${job.roomId}/bakes`,
        ...(options.embeddedDataDir !== undefined ? { embeddedDataDir: options.embeddedDataDir } : {}),
      },
      onProgress: (p) => job.onProgress({ fraction: p.percent / 100, phase: p.phase, etaSec: p.etaSeconds, pending: p.pending, mp3Pass: p.mp3Pass }),
    });
    const renders: Partial<Record<RenderFormat, RenderFile>> = {};
    const measured: Partial<Record<RenderFormat, FormatMeasurement>> = {};
    for (const file of result.files) {
      if (!file.stored) throw new Error(`The ${file.format} bake was not stored.`);
      renders[file.format] = { key: file.stored.key, hash: file.sha256, bytes: file.bytes };
      measured[file.format] = file.measurement;
    }
    return {
      renders,
      loudness: { integratedLufs: result.loudness.integratedLufs, truePeakDb: result.loudness.truePeakDbtp },
      durationSec: result.durationSeconds,
      formats: measured,
      ceilingDb: result.ceilingDb,
    };
  };
}
