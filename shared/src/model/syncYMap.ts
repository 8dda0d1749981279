import * as Y from 'yjs';
import { ATOMIC_KEYS, LEAF_MAP_KEYS, type DocShape } from './mixDocShape.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Y.AbstractType);
}

function sameLeaf(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Y.AbstractType || b instanceof Y.AbstractType) return false;
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => sameLeaf(a[k], b[k]));
  }
  return false;
}

/**
 * Makes an integrated Y.Map equal to `shape`, writing only what differs: unchanged leaves
 * are not rewritten (no tombstones, no spurious observer events), existing nested Y.Maps
 * are reused (so a concurrent edit inside them survives), keys absent from `shape` are
 * deleted. Must run inside a transaction; `target` must already be in a document.
 * `leavesOnly` (a map named in LEAF_MAP_KEYS) stores every value as a leaf.
 */
export function syncYMap(target: Y.Map<unknown>, shape: DocShape, leavesOnly = false): void {
  for (const key of Array.from(target.keys())) {
    if (!Object.hasOwn(shape, key)) target.delete(key);
  }
  for (const [key, value] of Object.entries(shape)) {
    if (isPlainObject(value) && !leavesOnly && !ATOMIC_KEYS.has(key)) {
      let child = target.get(key);
      if (!(child instanceof Y.Map)) {
        child = new Y.Map<unknown>();
        target.set(key, child);
      }
      syncYMap(child as Y.Map<unknown>, value as DocShape, LEAF_MAP_KEYS.has(key));
    } else if (!sameLeaf(target.get(key), value)) {
      target.set(key, value);
    }
  }
}
