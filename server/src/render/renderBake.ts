import type { MixPlan } from '@mixroom/shared/plan';
import type { FormatMeasurement } from '@mixroom/shared/review';
import type { BakeFormat } from './BakeFormat.ts';
import type { BakeProgress } from './BakeProgress.ts';
import type { BakeMixOptions } from './bakeMix.ts';
import type { LoudnessReport } from './LoudnessReport.ts';
import { type BakeStoreTarget, renderBakeFormats } from './renderBakeFormats.ts';
import type { StoredBake } from './deliver/storeBake.ts';

export interface RenderBakeOptions extends Omit<BakeMixOptions, 'onFrames'> {
  format: BakeFormat;
  onProgress?: (progress: BakeProgress) => void;
  /** Upload the finished file here (key: `<keyPrefix>/<sha256>.<ext>`). */
  store?: BakeStoreTarget;
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
  /** Loudness, true peak and clipped samples of the file as a decoder reads it. */
  measurement: FormatMeasurement;
  /** True-peak ceiling the file was checked against (dBTP). */
  ceilingDb: number;
  /** Master-path latency removed from the start. */
  latencyFrames: number;
  workers: number;
  stored: StoredBake | null;
}

/**
 * A single-format bake (the CLI): {@link renderBakeFormats} with one format. Nothing reaches
 * S3 unless every block baked and encoded; on cancel or error the temp file is deleted and
 * the workers stopped.
 */
export async function renderBake(plan: MixPlan, options: RenderBakeOptions): Promise<BakeResult> {
  const { format, outFile, ...rest } = options;
  const result = await renderBakeFormats(plan, { ...rest, formats: [format], ...(outFile ? { outFiles: { [format]: outFile } } : {}) });
  const file = result.files[0]!;
  return {
    format,
    sampleRate: result.sampleRate,
    frames: result.frames,
    durationSeconds: result.durationSeconds,
    bytes: file.bytes,
    sha256: file.sha256,
    contentType: file.contentType,
    loudness: result.loudness,
    measurement: file.measurement,
    ceilingDb: result.ceilingDb,
    latencyFrames: result.latencyFrames,
    workers: result.workers,
    stored: file.stored,
  };
}
