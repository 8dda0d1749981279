import * as Y from 'yjs';
import { MIX_CAPS } from '../../model/MIX_CAPS.ts';
import type { KeyShape } from '../../model/STRIP_KEYS.ts';
import { emptySequence } from './emptySequence.ts';
import { ForeignBudget } from './ForeignBudget.ts';

/**
 * Whether `value`, stored under `key` of a map of `shape`, is one no strip holds: an unknown
 * key; a shared type (a Y.Map, Y.Text...) where a value goes, or one other than a Y.Map
 * where a map goes; or a value longer than
 * MIX_CAPS.valueLength (as text or JSON), except an id-keyed entry (automation points, which
 * repairAutomation judges, and which a load must not stringify one by one).
 */
export function isStrayEntry(shape: KeyShape, key: string, value: unknown): boolean {
  const own = Object.hasOwn(shape, key);
  const known = own ? shape[key] : shape['*'];
  if (known === undefined) return true;
  // A map where one goes is walked; any other shared type is not what the key holds.
  if (value instanceof Y.AbstractType) return !(known !== null && value instanceof Y.Map);
  if (!own) return false;
  const length = typeof value === 'string' ? value.length : typeof value === 'object' && value !== null ? JSON.stringify(value).length : 0;
  return length > MIX_CAPS.valueLength;
}

/**
 * Whether a stray entry (isStrayEntry) is one a newer schema may have written: a key this
 * node does not know, or a shared type where it knows a value. An overlong known value is not.
 */
export function isForeignEntry(shape: KeyShape, key: string, value: unknown): boolean {
  return (!Object.hasOwn(shape, key) && shape['*'] === undefined) || value instanceof Y.AbstractType;
}

/**
 * Deletes the entries of `map`, and of the maps nested in it, that no strip holds (see
 * isStrayEntry and STRIP_KEYS): each could otherwise grow the document without bound. A known
 * key holding a map is walked; any other value under a known key is left to the record's
 * sanitizer, which reads a wrong one as its default. Items a hand-made update put in a map's
 * sequence part go too (emptySequence). Deterministic and delete-only, so peers that repair
 * the same document converge. With a `budget` (a newer schema's document) a foreign entry
 * (isForeignEntry) is kept while the budget lasts, charged in key order. @returns how many it
 * deleted.
 */
export function dropUnknownKeys(map: Y.Map<unknown>, shape: KeyShape, budget?: ForeignBudget): number {
  let dropped = emptySequence(map);
  for (const [key, value] of budget ? ForeignBudget.inOrder(map.entries()) : [...map.entries()]) {
    if (isStrayEntry(shape, key, value)) {
      if (budget && isForeignEntry(shape, key, value) && budget.take(value)) continue;
      map.delete(key);
      dropped += 1;
      continue;
    }
    const known = Object.hasOwn(shape, key) ? shape[key] : shape['*'];
    if (known && value instanceof Y.Map) dropped += dropUnknownKeys(value as Y.Map<unknown>, known, budget);
  }
  return dropped;
}

/**
 * The shape of a map nested in a strip (`path` from the strip down, e.g. ['eq', 'bands', '2']),
 * or null when no map is known there (a leaf, or an unknown key).
 */
export function keyShapeAt(shape: KeyShape, path: readonly string[]): KeyShape | null {
  let current: KeyShape | null = shape;
  for (const key of path) {
    if (current === null) return null;
    const next: KeyShape | null | undefined = Object.hasOwn(current, key) ? current[key] : current['*'];
    current = next ?? null;
  }
  return current;
}
