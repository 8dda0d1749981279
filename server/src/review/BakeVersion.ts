import type { MixState } from '@mixroom/shared/model';
import type { BakePhase, FormatMeasurement, RenderFile, RenderFormat } from '@mixroom/shared/review';

/** One bake job: a version's snapshot to render and store. */
export interface BakeJob {
  roomId: string;
  versionId: string;
  state: MixState;
  signal: AbortSignal;
  /** Called often; the queue throttles what reaches the room. */
  onProgress: (progress: BakeJobProgress) => void;
}

/** Where a bake is, as the room shows it. */
export interface BakeJobProgress {
  /** 0..1 over the whole bake. */
  fraction: number;
  phase: BakePhase;
  /** Seconds left, null until there is a speed to go by. */
  etaSec: number | null;
  /** Formats still encoding (encoding) or not stored yet (storing). */
  pending: RenderFormat[];
  /** The MP3's pass when it is encoded again under its ceiling. */
  mp3Pass: number | null;
}

/** What a finished bake stored: every format's object and the reference render's analysis. */
export interface BakeResult {
  /** Must include `wav24`, the render an approval names. */
  renders: Partial<Record<RenderFormat, RenderFile>>;
  loudness: { integratedLufs: number | null; truePeakDb: number | null } | null;
  durationSec: number;
  /** Each stored file measured as its decoder reads it. */
  formats: Partial<Record<RenderFormat, FormatMeasurement>>;
  /** True-peak ceiling the files were checked against (dBTP). */
  ceilingDb: number;
}

/**
 * Renders a version on the server and stores the files (injected: the render module's
 * `bakeMix` + storage in production). Rejects with an Error whose message a user can read.
 */
export type BakeVersion = (job: BakeJob) => Promise<BakeResult>;
