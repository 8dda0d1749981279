import { dbToFaderPosition, faderPositionToDb } from '../mix/FaderLaw.ts';
import type { LaneParam } from './laneParam.ts';

/**
 * Where a value sits on its lane's height (0 bottom, 1 top), by the parameter's display law:
 * a fader lane reads like the fader's throw, a frequency lane is logarithmic, the rest linear.
 */
export function valueToLanePosition(param: LaneParam, value: number): number {
  const { min, max } = param.range;
  const v = Math.min(max, Math.max(min, value));
  if (param.law === 'fader') return dbToFaderPosition(v);
  if (param.law === 'log' && min > 0) return Math.log(v / min) / Math.log(max / min);
  return max === min ? 0 : (v - min) / (max - min);
}

/** The value at a lane height (the inverse of valueToLanePosition), rounded as the control rounds it. */
export function lanePositionToValue(param: LaneParam, position: number): number {
  const p = Math.min(1, Math.max(0, position));
  const { min, max } = param.range;
  if (param.switch) return p >= 0.5 ? 1 : 0;
  let v: number;
  if (param.law === 'fader') v = faderPositionToDb(p);
  else if (param.law === 'log' && min > 0) v = min * Math.pow(max / min, p);
  else v = min + p * (max - min);
  return roundForUnit(param, v);
}

/** A value rounded to what its control shows: 0.1 dB, 1 Hz, 0.01 of pan. */
export function roundForUnit(param: LaneParam, value: number): number {
  const step = param.range.unit === 'Hz' ? 1 : param.range.unit === 'pan' ? 0.01 : 0.1;
  return Math.min(param.range.max, Math.max(param.range.min, Math.round(value / step) * step));
}

/** One keyboard step of a value on its lane (Shift: fine, the control's resolution), in the parameter's unit. */
export function laneValueStep(param: LaneParam, fine: boolean): number {
  if (param.switch) return 1;
  if (param.range.unit === 'pan') return fine ? 0.01 : 0.05;
  return fine ? 0.1 : 0.5;
}

/** A value moved by keyboard steps: Hz lanes move by a sixth of an octave (a sixtieth fine). */
export function stepLaneValue(param: LaneParam, value: number, steps: number, fine: boolean): number {
  if (param.switch) return steps > 0 ? 1 : 0;
  if (param.range.unit === 'Hz') return roundForUnit(param, value * Math.pow(2, (steps * (fine ? 1 : 10)) / 60));
  return roundForUnit(param, value + steps * laneValueStep(param, fine));
}

/**
 * How far a recorded ride may be thinned from what the control did, at `value`: 0.1 dB on a
 * dB lane, 0.5 % of the frequency on a Hz lane (under a tenth of a semitone), 0.5 % of the
 * range elsewhere (0.01 of pan); a switch keeps every change.
 */
export function rideTolerance(param: LaneParam, value: number): number {
  if (param.switch) return 0;
  if (param.range.unit === 'dB') return 0.1;
  if (param.range.unit === 'Hz') return Math.abs(value) * 0.005;
  return (param.range.max - param.range.min) * 0.005;
}
