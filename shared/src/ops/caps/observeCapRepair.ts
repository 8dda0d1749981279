import * as Y from 'yjs';
import { AUTOMATION_KEY } from '../../model/AutomationRecord.ts';
import { isNewerSchema } from '../../model/isNewerSchema.ts';
import { getBusesMap, getMixRoot, getSessionMap, getTracksMap } from '../../model/mixDocAccessors.ts';
import { MIX_KEYS } from '../../model/MIX_KEYS.ts';
import { STRIP_KEYS, type KeyShape } from '../../model/STRIP_KEYS.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import { isStrayEntry, keyShapeAt } from './dropUnknownKeys.ts';
import { repairCaps } from './repairCaps.ts';

/** Keys of a strip map whose writes can break a cap. */
const CAPPED_STRIP_KEYS = new Set(['name', 'sends']);

/**
 * The keys a map of the mix may hold when it is a strip or nested in one (see STRIP_KEYS), from
 * its path under the root; null for other maps and for a map under an unknown key.
 */
function stripKeysOf(root: Y.Map<unknown>, type: Y.AbstractType<any>): KeyShape | null {
  const path: string[] = [];
  for (let t = type; t !== (root as unknown); ) {
    const item = t._item;
    if (!item || item.parentSub === null || !(item.parent instanceof Y.AbstractType)) return null;
    path.unshift(item.parentSub);
    t = item.parent;
  }
  if (path[0] === 'master') return keyShapeAt(STRIP_KEYS.master, path.slice(1));
  if (path[0] === 'tracks' && path.length > 1) return keyShapeAt(STRIP_KEYS.track, path.slice(2));
  if (path[0] === 'buses' && path.length > 1) return keyShapeAt(STRIP_KEYS.bus, path.slice(2));
  return null;
}

/**
 * True when a transaction may have broken a cap: it added or replaced strips, wrote the title,
 * a strip's name or sends, a sends map, an entry no strip or session holds, or any map's
 * sequence part. A fader or EQ edit cannot.
 */
function touchesCaps(doc: Y.Doc, tr: Y.Transaction): boolean {
  const root = getMixRoot(doc);
  const collections = new Set<unknown>([root, getTracksMap(doc), getBusesMap(doc)]);
  const session = getSessionMap(doc);
  for (const [type, keys] of tr.changed) {
    if (collections.has(type)) return true;
    // A sequence change (key null) in a map: only hand-made updates make one.
    if (keys.has(null)) return true;
    if ((type as unknown) === session) {
      // A new schemaVersion decides what repair keeps (isNewerSchema).
      if ([...keys].some((key) => key === 'title' || key === 'schemaVersion' || isStrayEntry(MIX_KEYS.session!, key!, session!.get(key!)))) return true;
      continue;
    }
    if (type instanceof Y.Map && type._item?.parentSub === 'sends') return true;
    // A newer schema's lanes are judged against a budget (repairCaps), not by repairAutomation.
    if (type._item?.parentSub === AUTOMATION_KEY && isNewerSchema(doc)) return true;
    for (const key of keys) if (key !== null && CAPPED_STRIP_KEYS.has(key)) return true;
    if (!(type instanceof Y.Map)) continue;
    const shape = stripKeysOf(root, type);
    if (shape && [...keys].some((key) => key !== null && isStrayEntry(shape, key, type.get(key)))) return true;
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
