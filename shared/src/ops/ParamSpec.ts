import { MixOpError } from './MixOpError.ts';
import { clampToRange, type NumberRange } from '../model/ParamSpec.ts';

export type { ParamValueOf } from '../model/ParamSpec.ts';

/**
 * What an op checks a value against: the part of a record's parameter spec (model/ParamSpec.ts,
 * which satisfies this) that decides whether a value may be stored.
 */
export type ParamSpec =
  | { readonly kind: 'number'; readonly range: NumberRange }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

/**
 * Checks `value` against `spec` and returns what to store: numbers clamped to their range;
 * NaN, Infinity and wrong types refused with a MixOpError naming the parameter.
 */
export function coerceParam(spec: ParamSpec, value: unknown, label: string): number | boolean | string {
  switch (spec.kind) {
    case 'number': {
      if (typeof value !== 'number') throw new MixOpError('wrong-type', `${label} must be a number, got ${typeof value}`);
      if (!Number.isFinite(value)) throw new MixOpError('not-finite', `${label} must be a finite number, got ${value}`);
      return clampToRange(value, spec.range);
    }
    case 'boolean': {
      if (typeof value !== 'boolean') throw new MixOpError('wrong-type', `${label} must be true or false, got ${typeof value}`);
      return value;
    }
    case 'enum': {
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw new MixOpError('invalid-value', `${label} must be one of ${spec.values.join(', ')}`);
      }
      return value;
    }
  }
}
