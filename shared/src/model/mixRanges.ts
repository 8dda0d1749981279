/**
 * Documented ranges of every numeric mix parameter, with units. Ops clamp to these,
 * readMixState clamps to these, validateMixState checks them. Runtime constants first;
 * the plan and the UI read them too (fader scales, knob ranges).
 */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly unit: 'dB' | 'Hz' | 's' | 'ratio' | 'pan' | 'bpm' | 'samples/s';
}

/** Every range by name; ops and readMixState clamp into them. */
export const MIX_RANGES = {
  /** Input trim before the strip. */
  trim: { min: -24, max: 24, unit: 'dB' },
  /**
   * Channel / bus / master fader. The floor is treated as silence by the plan (-100 dB is
   * 1e-5 of full scale, inaudible): -Infinity cannot survive JSON snapshots.
   */
  fader: { min: -100, max: 12, unit: 'dB' },
  /** Equal-power pan, -1 hard left .. +1 hard right. */
  pan: { min: -1, max: 1, unit: 'pan' },
  filterFreq: { min: 20, max: 20000, unit: 'Hz' },
  filterQ: { min: 0.1, max: 10, unit: 'ratio' },
  eqFreq: { min: 20, max: 20000, unit: 'Hz' },
  eqGain: { min: -24, max: 24, unit: 'dB' },
  eqQ: { min: 0.1, max: 18, unit: 'ratio' },
  compThreshold: { min: -60, max: 0, unit: 'dB' },
  compRatio: { min: 1, max: 20, unit: 'ratio' },
  compAttack: { min: 0.0001, max: 1, unit: 's' },
  compRelease: { min: 0.01, max: 3, unit: 's' },
  compKnee: { min: 0, max: 24, unit: 'dB' },
  compMakeup: { min: 0, max: 24, unit: 'dB' },
  satDrive: { min: 0, max: 36, unit: 'dB' },
  satMix: { min: 0, max: 1, unit: 'ratio' },
  sendLevel: { min: -100, max: 12, unit: 'dB' },
  reverbDecay: { min: 0.1, max: 20, unit: 's' },
  reverbPreDelay: { min: 0, max: 0.5, unit: 's' },
  effectDamping: { min: 500, max: 20000, unit: 'Hz' },
  delayTime: { min: 0.001, max: 4, unit: 's' },
  /** Kept below 1 so the feedback loop always decays. */
  delayFeedback: { min: 0, max: 0.95, unit: 'ratio' },
  glueThreshold: { min: -40, max: 0, unit: 'dB' },
  glueRatio: { min: 1, max: 10, unit: 'ratio' },
  glueAttack: { min: 0.0001, max: 0.1, unit: 's' },
  glueRelease: { min: 0.01, max: 2, unit: 's' },
  glueKnee: { min: 0, max: 24, unit: 'dB' },
  glueMakeup: { min: 0, max: 24, unit: 'dB' },
  limiterCeiling: { min: -12, max: 0, unit: 'dB' },
  limiterRelease: { min: 0.001, max: 1, unit: 's' },
  tempo: { min: 20, max: 400, unit: 'bpm' },
  sampleRate: { min: 8000, max: 384000, unit: 'samples/s' },
} as const satisfies Record<string, NumberRange>;

export type MixRangeName = keyof typeof MIX_RANGES;

/** Longest accepted track or bus name, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 100;
/** Longest session title. */
export const MAX_TITLE_LENGTH = 200;

/** Colors are stored as `#rrggbb`. */
export const COLOR_PATTERN = /^#[0-9a-f]{6}$/;

/** Clamps `value` into `range`. Callers must have rejected non-finite numbers first. */
export function clampToRange(value: number, range: NumberRange): number {
  return Math.min(range.max, Math.max(range.min, value));
}
