import * as Y from 'yjs';
import { getBusesMap, getMixRoot, getSessionMap, getTracksMap } from '../../model/mixDocAccessors.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import { repairCaps } from './repairCaps.ts';

/** Keys of a strip map whose writes can break a cap. */
const CAPPED_STRIP_KEYS = new Set(['name', 'sends']);

/**
 * True when a transaction may have broken a cap: it added or replaced strips, wrote the title,
 * a strip's name or sends, or a sends map. A fader or EQ edit cannot.
 */
function touchesCaps(doc: Y.Doc, tr: Y.Transaction): boolean {
  const collections = new Set<unknown>([getMixRoot(doc), getTracksMap(doc), getBusesMap(doc)]);
  const session = getSessionMap(doc);
  for (const [type, keys] of tr.changed) {
    if (collections.has(type)) return true;
    if ((type as unknown) === session && keys.has('title')) return true;
    if (type instanceof Y.Map && type._item?.parentSub === 'sends') return true;
    for (const key of keys) if (key !== null && CAPPED_STRIP_KEYS.has(key)) return true;
  }
  return false;
}

/**
 * Runs repairCaps after every remote transaction that may have broken a cap (the server's
 * guard against clients that write the document without shared/ops), with `repairOrigin`.
 * Its own transaction is local and does not re-trigger. @returns the disposer.
 */
export function observeCapRepair(doc: Y.Doc, repairOrigin: TransactionOrigin): () => void {
  const handler = (tr: Y.Transaction) => {
    if (!tr.local && touchesCaps(doc, tr)) repairCaps(doc, repairOrigin);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}
