import * as Y from 'yjs';
import { MixOpError } from './MixOpError.ts';
import { coerceParam, type ParamSpec } from './ParamSpec.ts';

/**
 * Checks and writes one scalar at a dotted path below `map` ('eq.bands.2.freq'). Skips the
 * write when the stored value is already equal, so no tombstone is left for a no-op.
 * Must run inside a transaction.
 */
export function writeParam(
  map: Y.Map<unknown>,
  specs: Readonly<Record<string, ParamSpec>>,
  param: unknown,
  value: unknown,
  label: string,
): void {
  if (typeof param !== 'string' || !Object.hasOwn(specs, param)) {
    throw new MixOpError('unknown-param', `${label} has no parameter ${String(param)}`);
  }
  const stored = coerceParam(specs[param]!, value, `${label} ${param}`);
  const path = param.split('.');
  const key = path.pop()!;
  let target = map;
  for (const part of path) {
    let next = target.get(part);
    // Only a damaged document lacks a section; recreate it rather than refuse every edit.
    if (!(next instanceof Y.Map)) {
      next = new Y.Map<unknown>();
      target.set(part, next);
    }
    target = next as Y.Map<unknown>;
  }
  if (target.get(key) !== stored) target.set(key, stored);
}

/** Like writeParam but only validates: lets an op refuse before its transaction starts. */
export function checkParam(specs: Readonly<Record<string, ParamSpec>>, param: unknown, value: unknown, label: string): void {
  if (typeof param !== 'string' || !Object.hasOwn(specs, param)) {
    throw new MixOpError('unknown-param', `${label} has no parameter ${String(param)}`);
  }
  coerceParam(specs[param]!, value, `${label} ${param}`);
}
