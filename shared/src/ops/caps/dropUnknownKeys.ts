import * as Y from 'yjs';
import type { KeyShape } from '../../model/STRIP_KEYS.ts';

/**
 * Deletes the entries of `map`, and of the maps nested in it, whose keys `shape` does not
 * name (see STRIP_KEYS), and shared types (a Y.Map, Y.Text...) where a leaf goes: each could
 * grow without bound. A known key holding a map is walked; any other value under a known key
 * is left to the record's sanitizer, which reads a wrong one as its default. Deterministic and
 * delete-only, so peers that repair the same document converge. @returns how many it deleted.
 */
export function dropUnknownKeys(map: Y.Map<unknown>, shape: KeyShape): number {
  let dropped = 0;
  for (const [key, value] of [...map.entries()]) {
    const known = Object.hasOwn(shape, key) ? shape[key] : shape['*'];
    if (known === undefined || (known === null && value instanceof Y.AbstractType)) {
      map.delete(key);
      dropped += 1;
    } else if (known !== null && value instanceof Y.Map) {
      dropped += dropUnknownKeys(value as Y.Map<unknown>, known);
    }
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
