import type * as Y from 'yjs';

/**
 * Longest map key or top-level type name a client update may carry. A deleted map entry keeps
 * its key in the tombstone for good (repair can delete the value, never the name), so names are
 * bounded where they enter. The product's keys are ids and parameter names of a few dozen
 * characters; y-websocket's peers write none longer.
 */
export const MAX_KEY_NAME_CHARS = 256;

/**
 * The first map key (`parentSub`) or top-level type name (`parent` as decoded) in `structs`
 * longer than MAX_KEY_NAME_CHARS, cut to 40 characters for a log line; null when none is.
 */
export function overlongKeyName(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): string | null {
  for (const struct of structs) {
    if (!('parentSub' in struct)) continue; // GC and Skip carry no names
    const { parentSub, parent } = struct;
    if (typeof parentSub === 'string' && parentSub.length > MAX_KEY_NAME_CHARS) return parentSub.slice(0, 40);
    if (typeof parent === 'string' && (parent as string).length > MAX_KEY_NAME_CHARS) return (parent as string).slice(0, 40);
  }
  return null;
}
