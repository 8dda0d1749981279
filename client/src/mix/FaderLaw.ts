import { TRACK_SPEC } from '@mixroom/shared/model';

/** The model's fader range (the track record's `gain`, display law 'fader'); its floor is silence, the plan treats it as off. */
export const FADER_MIN_DB = TRACK_SPEC.gain.range.min;
export const FADER_MAX_DB = TRACK_SPEC.gain.range.max;

/**
 * The 'fader' display law: maps decibels to fader travel like a console fader: most of the
 * throw sits between -20 and +6 dB where mixing happens, the bottom squeezes towards silence.
 */
const POINTS: readonly (readonly [db: number, pos: number])[] = [
  [FADER_MIN_DB, 0],
  [-60, 0.04],
  [-40, 0.12],
  [-20, 0.3],
  [-10, 0.5],
  [0, 0.75],
  [FADER_MAX_DB, 1],
];

export function dbToFaderPosition(db: number): number {
  if (!Number.isFinite(db) || db <= FADER_MIN_DB) return 0;
  for (let i = 1; i < POINTS.length; i++) {
    const [d1, p1] = POINTS[i]!;
    const [d0, p0] = POINTS[i - 1]!;
    if (db <= d1) return p0 + ((db - d0) / (d1 - d0)) * (p1 - p0);
  }
  return 1;
}

export function faderPositionToDb(pos: number): number {
  if (pos <= 0) return FADER_MIN_DB;
  for (let i = 1; i < POINTS.length; i++) {
    const [d1, p1] = POINTS[i]!;
    const [d0, p0] = POINTS[i - 1]!;
    if (pos <= p1) return d0 + ((pos - p0) / (p1 - p0)) * (d1 - d0);
  }
  return FADER_MAX_DB;
}
