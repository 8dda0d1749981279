import { DspParamError } from './DspParamError.ts';

/**
 * Checks that `value` is a finite number and clamps it into [min, max]. NaN, ±Infinity
 * and non-numbers throw {@link DspParamError}: a bad value from a peer or a file must never
 * reach the audio state, and silently replacing it would hide the bug.
 */
export function clampParam(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new DspParamError(name, value);
  return value < min ? min : value > max ? max : value;
}

/** Checks a sample rate (a positive finite number of plausible size). */
export function checkSampleRate(sampleRate: unknown): number {
  if (typeof sampleRate !== 'number' || !Number.isFinite(sampleRate) || sampleRate < 3000 || sampleRate > 768000) {
    throw new DspParamError('sampleRate', sampleRate);
  }
  return sampleRate;
}

/** Checks a boolean flag. */
export function checkFlag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new DspParamError(name, value);
  return value;
}

/** Checks that a parameter update is a plain object (not null, not an array). */
export function checkParamsObject(p: unknown): void {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new DspParamError('params', p);
}
