import type { S3Client } from '@aws-sdk/client-s3';
import { buildMixPlan } from '@mixroom/shared/plan';
import { RENDER_FORMATS } from '@mixroom/shared/review';
import type { RenderFile, RenderFormat } from '@mixroom/shared/review';
import { renderBake } from '../render/renderBake.ts';
import type { StemSource } from '../render/StemSource.ts';
import type { BakeResult, BakeVersion } from './BakeVersion.ts';

export interface RenderBakerOptions {
  stems: StemSource;
  s3: S3Client;
  bucket: string;
  /** Formats to produce; `wav24` first (the reference an approval names). */
  formats?: readonly RenderFormat[];
  /** Bake worker threads (default: the render module's choice). */
  workers?: number;
  tmpDir?: string;
}

/**
 * {@link BakeVersion} over the render module: builds the version's MixPlan and bakes each
 * format with `renderBake`, storing files under `rooms/<room>/bakes/<sha256>.<ext>`.
 * Progress is reported over all formats together. Loudness and duration come from the
 * reference WAV 24-bit render.
 */
export function createRenderBaker(options: RenderBakerOptions): BakeVersion {
  const formats = options.formats ?? RENDER_FORMATS;
  return async (job) => {
    const plan = buildMixPlan(job.state);
    const renders: Partial<Record<RenderFormat, RenderFile>> = {};
    let reference: BakeResult['loudness'] = null;
    let durationSec = 0;
    for (const [i, format] of formats.entries()) {
      const result = await renderBake(plan, {
        format,
        stems: options.stems,
        signal: job.signal,
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
        ...(options.tmpDir !== undefined ? { tmpDir: options.tmpDir } : {}),
        store: { s3: options.s3, bucket: options.bucket, keyPrefix: `rooms/${job.roomId}/bakes` },
        onProgress: (p) => job.onProgress((i + p.percent / 100) / formats.length),
      });
      if (!result.stored) throw new Error(`The ${format} bake was not stored.`);
      renders[format] = { key: result.stored.key, hash: result.sha256, bytes: result.bytes };
      if (format === 'wav24' || i === 0) {
        reference = { integratedLufs: result.loudness.integratedLufs, truePeakDb: result.loudness.truePeakDbtp };
        durationSec = result.durationSeconds;
      }
    }
    return { renders, loudness: reference, durationSec };
  };
}
