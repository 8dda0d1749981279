import * as Y from 'yjs';
import { compareByOrder } from '../model/sanitizeMixState.ts';
import { MixOpError } from './MixOpError.ts';

/** Refuses a position that is not an integer. */
export function checkIndex(toIndex: unknown): number {
  if (typeof toIndex !== 'number' || !Number.isInteger(toIndex)) throw new MixOpError('wrong-type', 'Position must be an integer');
  return toIndex;
}

/**
 * Moves the strip `id` of `strips` (the tracks or buses map) to position `toIndex` in
 * (order, id) order by giving it an order between its new neighbours, so only one value
 * is written and concurrent moves of different strips merge. When neighbours share an
 * order (after concurrent moves), every strip is renumbered first. Runs inside a
 * transaction; callers check `toIndex` with checkIndex first.
 */
export function moveStrip(strips: Y.Map<unknown>, id: string, toIndex: number): void {
  const read = () =>
    Array.from(strips.entries())
      .filter((e): e is [string, Y.Map<unknown>] => e[1] instanceof Y.Map)
      .map(([sid, map]) => {
        const order = map.get('order');
        return { id: sid, map, order: typeof order === 'number' && Number.isFinite(order) ? order : 0 };
      })
      .sort(compareByOrder);
  const others = read().filter((s) => s.id !== id);
  const self = strips.get(id) as Y.Map<unknown>;
  const index = Math.max(0, Math.min(others.length, toIndex));
  const orderAt = (i: number) => {
    const before = others[i - 1]?.order;
    const after = others[i]?.order;
    if (before === undefined && after === undefined) return 0;
    if (before === undefined) return after! - 1;
    if (after === undefined) return before + 1;
    const mid = (before + after) / 2;
    // Equal neighbours, or a gap too small for a float midpoint: renumber.
    return mid > before && mid < after ? mid : null;
  };
  let order = orderAt(index);
  if (order === null) {
    others.forEach((s, i) => {
      if (s.order !== i) s.map.set('order', i);
      s.order = i;
    });
    order = orderAt(index) ?? index;
  }
  if (self.get('order') !== order) self.set('order', order);
}
