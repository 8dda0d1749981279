import { z } from 'zod';
import type { MixState } from '../model/MixState.ts';
import { RENDER_FORMAT_INFO, RENDER_FORMATS } from './RenderFormat.ts';
import type { RenderFormat } from './RenderFormat.ts';

/**
 * What one stored file of a bake measures, on the samples a decoder of that file gets: the
 * dithered integers of WAV and FLAC, the decoded output of the MP3 (which an encoder can
 * push above the master's peaks).
 */
export const formatMeasurementSchema = z.object({
  /** Gated integrated loudness, BS.1770-4 (LUFS); null for silence. */
  integratedLufs: z.number().nullable(),
  /** Highest 4x-oversampled true peak over both channels (dBTP); null for silence. */
  truePeakDb: z.number().nullable(),
  /** Samples at digital full scale (integer formats) or beyond it (the MP3's decoded float). */
  clippedSamples: z.number().int().min(0),
  /** Gain applied to the master before encoding (dB, 0 or less): the MP3's ceiling margin. */
  gainDb: z.number().max(0),
});
export type FormatMeasurement = z.infer<typeof formatMeasurementSchema>;

/** A true peak this far above the ceiling is reported (the limiter's stated tolerance; dither adds < 0.001 dB). */
export const TRUE_PEAK_TOLERANCE_DB = 0.05;

/**
 * The true-peak ceiling a version's files must respect: the master limiter's ceiling when
 * the limiter is on, else full scale (0 dBTP; above it, converters and lossy decoders clip).
 */
export function deliverableCeilingDb(state: Pick<MixState, 'master'>): number {
  return state.master.limiter.on ? state.master.limiter.ceiling : 0;
}

export const DELIVERABLE_PROBLEMS = ['clipped', 'over-ceiling'] as const;
export type DeliverableProblem = (typeof DELIVERABLE_PROBLEMS)[number];

/** One problem of one file, as the room shows it and an approval records it. */
export const deliverableWarningSchema = z.object({
  format: z.enum(RENDER_FORMATS),
  problem: z.enum(DELIVERABLE_PROBLEMS),
  /** Clipped samples ('clipped') or the true peak in dBTP ('over-ceiling'). */
  value: z.number(),
  ceilingDb: z.number(),
  /** A sentence a user can act on. */
  message: z.string().max(300),
});
export type DeliverableWarning = z.infer<typeof deliverableWarningSchema>;

/**
 * Every problem of a bake's files: clipped samples, and true peaks above the ceiling (beyond
 * {@link TRUE_PEAK_TOLERANCE_DB}). Empty for a clean deliverable and for a bake measured
 * before per-format measurements existed. Pure: the server records it with an approval, the
 * room shows it beside Approve and Download.
 */
export function deliverableWarnings(bake: {
  formats: Partial<Record<RenderFormat, FormatMeasurement>>;
  ceilingDb: number | null;
}): DeliverableWarning[] {
  const warnings: DeliverableWarning[] = [];
  const ceilingDb = bake.ceilingDb ?? 0;
  for (const format of RENDER_FORMATS) {
    const m = bake.formats[format];
    if (!m) continue;
    const label = RENDER_FORMAT_INFO[format].label;
    if (m.clippedSamples > 0) {
      const n = m.clippedSamples;
      warnings.push({ format, problem: 'clipped', value: n, ceilingDb, message: `${label} clips: ${n.toLocaleString('en-US')} sample${n === 1 ? '' : 's'} at full scale.` });
    }
    if (m.truePeakDb !== null && m.truePeakDb > ceilingDb + TRUE_PEAK_TOLERANCE_DB) {
      warnings.push({
        format,
        problem: 'over-ceiling',
        value: m.truePeakDb,
        ceilingDb,
        message: `${label} peaks at ${formatDb(m.truePeakDb)} dBTP, above the ${formatDb(ceilingDb)} dBTP ceiling.`,
      });
    }
  }
  return warnings;
}

function formatDb(db: number): string {
  return `${db > 0 ? '+' : ''}${db.toFixed(2)}`;
}
