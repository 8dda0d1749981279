import * as Y from 'yjs';
import { MIX_CAPS } from '../../model/MIX_CAPS.ts';

/**
 * What a repair of a newer schema's document keeps of the data this node does not know:
 * MIX_CAPS.foreignBytes of JSON in all, charged in a fixed order (keys sorted), so every
 * node that repairs the same document keeps the same entries.
 */
export class ForeignBudget {
  #left: number = MIX_CAPS.foreignBytes;

  /**
   * Charges `value` (a leaf, or a shared type as its JSON) and says whether it is kept: a
   * leaf, text or array within MIX_CAPS.valueLength (a map may be larger: it is a section)
   * that still fits in the budget.
   */
  take(value: unknown): boolean {
    const json = value instanceof Y.AbstractType ? value.toJSON() : value;
    const size = typeof json === 'string' ? json.length : (JSON.stringify(json) ?? '').length;
    if (!(value instanceof Y.Map) && size > MIX_CAPS.valueLength) return false;
    if (size > this.#left) return false;
    this.#left -= size;
    return true;
  }

  /** Entries in key order (code units): the same on every peer, unlike a map's insertion order. */
  static inOrder<T>(entries: Iterable<[string, T]>): Array<[string, T]> {
    return [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
