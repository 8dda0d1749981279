import { MixOpError } from './MixOpError.ts';
import { clampToRange, type NumberRange } from '../model/mixRanges.ts';

/** How one leaf parameter is checked before it is written. */
export type ParamSpec =
  | { readonly kind: 'number'; readonly range: NumberRange }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

/** A number clamped to `range`. */
export const numberParam = (range: NumberRange) => ({ kind: 'number', range }) as const;
/** A boolean switch. */
export const booleanParam = { kind: 'boolean' } as const;
/** One of a fixed list of strings. */
export const enumParam = <const T extends readonly string[]>(values: T) => ({ kind: 'enum', values }) as const;

/** The value type a spec accepts. */
export type ParamValueOf<S> = S extends { kind: 'number' }
  ? number
  : S extends { kind: 'boolean' }
    ? boolean
    : S extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
      : never;

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
