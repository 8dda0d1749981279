import * as Y from 'yjs';

/** An order value after every strip in `strips` (a tracks or buses map): max + 1. */
export function nextOrder(strips: Y.Map<unknown>): number {
  let max = -1;
  for (const strip of strips.values()) {
    const order = strip instanceof Y.Map ? strip.get('order') : undefined;
    if (typeof order === 'number' && Number.isFinite(order) && order > max) max = order;
  }
  return Math.floor(max) + 1;
}
