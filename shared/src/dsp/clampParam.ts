import type { NumberRange } from '../model/ParamSpec.ts';
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

/**
 * {@link clampParam} into a parameter's range from its record's table (model/ParamSpec.ts),
 * so a kernel accepts exactly what the model stores; `max` lowers the ceiling where the
 * kernel's own limit is lower (a damping corner under Nyquist).
 */
export function clampToSpec(name: string, value: unknown, spec: { readonly range: NumberRange }, max = spec.range.max): number {
  return clampParam(name, value, spec.range.min, Math.min(max, spec.range.max));
}

/**
 * Clamps every numeric parameter of `specs` (a record's table) that `p` sets into `next`,
 * with {@link clampToSpec}; `max` lowers a parameter's ceiling where the kernel's own
 * limit is lower. Keys without a number spec are left for the kernel to check.
 */
export function clampSettings(p: object, specs: object, next: object, max: Readonly<Record<string, number>> = {}): void {
  const given = p as Readonly<Record<string, unknown>>;
  const out = next as Record<string, unknown>;
  for (const [key, spec] of Object.entries(specs as Readonly<Record<string, { kind: string; range?: NumberRange }>>)) {
    const value = given[key];
    if (value === undefined || spec.kind !== 'number' || !spec.range) continue;
    out[key] = clampToSpec(key, value, { range: spec.range }, max[key]);
  }
}
