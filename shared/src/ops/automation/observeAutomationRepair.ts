import * as Y from 'yjs';
import { AUTOMATION_KEY } from '../../model/AutomationRecord.ts';
import { getBusesMap, getMixRoot, getSessionMap, getTracksMap } from '../../model/mixDocAccessors.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import { repairAutomation } from './repairAutomation.ts';

/**
 * The strips whose stored lanes a transaction may have made invalid: their automation map
 * or its entries, or their sends (a send lane needs its send); 'all' when strips themselves
 * were added or replaced or the schema version changed; null when it touched no lane (a fader edit).
 */
function stripsTouched(doc: Y.Doc, tr: Y.Transaction): Set<Y.Map<unknown>> | 'all' | null {
  const collections = new Set<unknown>([getMixRoot(doc), getTracksMap(doc), getBusesMap(doc)]);
  const strips = new Set<Y.Map<unknown>>();
  const session = getSessionMap(doc);
  for (const [type, keys] of tr.changed) {
    if (collections.has(type)) return 'all';
    // A document back at (or below) this version's schema: what a newer one kept is judged again.
    if ((type as unknown) === session && keys.has('schemaVersion')) return 'all';
    const parentSub = type._item?.parentSub;
    const parent = type._item?.parent;
    if ((parentSub === AUTOMATION_KEY || parentSub === 'sends') && parent instanceof Y.Map) strips.add(parent as Y.Map<unknown>);
    if (type instanceof Y.Map && (keys.has(AUTOMATION_KEY) || keys.has('sends'))) strips.add(type as Y.Map<unknown>);
  }
  return strips.size > 0 ? strips : null;
}

/**
 * Runs repairAutomation after every remote transaction that touched stored lanes (the
 * server's guard against clients that write the document without shared/ops), on the
 * strips it touched, with `repairOrigin`. Its own transaction is local and does not
 * re-trigger. @returns the disposer.
 */
export function observeAutomationRepair(doc: Y.Doc, repairOrigin: TransactionOrigin): () => void {
  const handler = (tr: Y.Transaction) => {
    if (tr.local) return;
    const touched = stripsTouched(doc, tr);
    if (touched !== null) repairAutomation(doc, repairOrigin, touched === 'all' ? undefined : touched);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}
