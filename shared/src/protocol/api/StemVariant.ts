/**
 * The files kept of a stem: the upload as sent, the WAV the browser plays (the upload itself
 * when it is a WAV) and its waveform peaks (MRPK).
 */
export const STEM_VARIANTS = ['source', 'playback', 'peaks'] as const;
export type StemVariant = (typeof STEM_VARIANTS)[number];

/** True for one of the {@link STEM_VARIANTS}. */
export function isStemVariant(value: unknown): value is StemVariant {
  return typeof value === 'string' && (STEM_VARIANTS as readonly string[]).includes(value);
}
