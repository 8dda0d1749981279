import { bool, num, oneOf, section, type ValueOf } from './ParamSpec.ts';

/**
 * 'split': the reduction applies to the band around `freq` only (the rest passes untouched);
 * 'wide': the band only detects, and the reduction applies to the whole signal.
 */
export const DEESSER_MODES = ['split', 'wide'] as const;
export type DeesserMode = (typeof DEESSER_MODES)[number];

/** Schema step that added the track de-esser (documents from before read it off). */
export const DEESSER_SINCE = 6;

/**
 * The track de-esser (shared/dsp/deesser.ts): a detector on the band around `freq` reduces
 * that band (a dynamic peaking cut), or the whole signal, by up to `range` dB once the band
 * passes `threshold`. Off by default and on every document from before it existed, so old
 * mixes sound as they did.
 */
export const DEESSER_SPEC = section(
  {
    on: bool(false),
    mode: oneOf(DEESSER_MODES, 'split'),
    /** Centre of the sibilant band (the detector's and the split's band-pass). */
    freq: num('Hz', 2000, 16000, 6000, { law: 'log' }),
    /** Band level (peak, dBFS) above which reduction starts. */
    threshold: num('dB', -60, 0, -30),
    /** Most reduction the de-esser applies. */
    range: num('dB', 0, 24, 6),
  },
  { since: DEESSER_SINCE },
);

/** What the de-esser kernel is set with: the section without its switch. */
export type DeesserSettings = Omit<ValueOf<typeof DEESSER_SPEC>, 'on'>;
