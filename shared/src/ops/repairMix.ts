import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import { getBusMap, getMixRoot, getTrackMap } from '../model/mixDocAccessors.ts';
import { repairMixState, type RepairFix } from '../model/repairMixState.ts';
import { sanitizeMixState } from '../model/sanitizeMixState.ts';
import { sendLevelPath } from '../model/AutomationRecord.ts';
import { deleteLanePoints } from './automation/deleteLanePoints.ts';

function writeFix(doc: Y.Doc, fix: RepairFix): void {
  const strip = fix.kind === 'clear-sidechain' || fix.kind === 'clear-gate-key' || fix.owner === 'track' ? getTrackMap(doc, fix.id) : getBusMap(doc, fix.id);
  if (!strip) return;
  switch (fix.kind) {
    case 'output-to-master':
      strip.set('output', 'master');
      return;
    case 'drop-send': {
      const sends = strip.get('sends');
      if (sends instanceof Y.Map) sends.delete(fix.bus);
      deleteLanePoints(strip, sendLevelPath(fix.bus));
      return;
    }
    case 'clear-sidechain': {
      const comp = strip.get('comp');
      if (comp instanceof Y.Map) comp.set('sidechain', null);
      return;
    }
    case 'clear-gate-key': {
      const gate = strip.get('gate');
      if (gate instanceof Y.Map) gate.set('sidechain', null);
      return;
    }
  }
}

/**
 * Restores the routing invariants in the document after merging remote updates (see
 * repairMixState): outputs and sends to deleted or wrong-kind buses, aux sends, self or
 * dangling sidechains, and bus cycles created by two users at once (cut at the greatest
 * bus id on the cycle). Clients and server run it after applying remote updates, with a
 * 'repair' origin.
 *
 * Why peers never fight: the fixes are a pure function of the document, so peers with the
 * same state write the same values; fixes only remove references, so merging fixes made
 * from different states cannot create a new violation; and a valid document needs no fix,
 * so it is idempotent (no transaction at all when nothing is wrong).
 * @returns the fixes written (empty when the document was already valid).
 */
export function repairMix(doc: Y.Doc, origin: TransactionOrigin): RepairFix[] {
  const { fixes } = repairMixState(sanitizeMixState(getMixRoot(doc).toJSON()));
  if (fixes.length > 0) doc.transact(() => fixes.forEach((fix) => writeFix(doc, fix)), origin);
  return fixes;
}
