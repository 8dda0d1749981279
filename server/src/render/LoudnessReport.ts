import type { LoudnessSummary } from '@mixroom/shared/dsp';

/** Loudness of a bake's master, as shown beside the download. */
export interface LoudnessReport {
  /** Gated integrated loudness, BS.1770-4 (LUFS); null for silence. */
  integratedLufs: number | null;
  /** Highest 4x-oversampled true peak over both channels (dBTP); null for silence. */
  truePeakDbtp: number | null;
  /** Loudness range, EBU Tech 3342 (LU). */
  loudnessRangeLu: number;
}

/** JSON has no -Infinity: silence is reported as null. */
export function toLoudnessReport(s: LoudnessSummary): LoudnessReport {
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    integratedLufs: finite(s.integrated),
    truePeakDbtp: finite(s.truePeak),
    loudnessRangeLu: Number.isFinite(s.range) ? s.range : 0,
  };
}
