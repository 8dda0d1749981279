import type * as Y from 'yjs';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import { repairMix } from './repairMix.ts';
import { touchesRouting } from './touchesRouting.ts';

/**
 * Runs repairMix after every remote transaction that touched routing (Y.applyUpdate marks
 * transactions as non-local), with `repairOrigin`. Yjs runs a transaction started from an
 * afterTransaction handler right after the current one, so the repair lands before any
 * observer of the next update; its own transaction is local and does not re-trigger.
 * @returns the disposer.
 */
export function observeRepair(doc: Y.Doc, repairOrigin: TransactionOrigin): () => void {
  const handler = (tr: Y.Transaction) => {
    if (!tr.local && touchesRouting(doc, tr)) repairMix(doc, repairOrigin);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}
