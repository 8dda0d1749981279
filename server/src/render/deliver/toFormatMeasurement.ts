import type { LoudnessSummary } from '@mixroom/shared/dsp/loudness';
import type { FormatMeasurement } from '@mixroom/shared/review';

/** A meter's summary as a record field (JSON has no -Infinity: silence is null). */
export function toFormatMeasurement(summary: LoudnessSummary, clippedSamples: number, gainDb: number): FormatMeasurement {
  return {
    integratedLufs: Number.isFinite(summary.integrated) ? summary.integrated : null,
    truePeakDb: Number.isFinite(summary.truePeak) ? summary.truePeak : null,
    clippedSamples,
    gainDb,
  };
}
