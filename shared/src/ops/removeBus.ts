import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { sendLevelPath } from '../model/AutomationRecord.ts';
import { deleteLanePoints } from './automation/deleteLanePoints.ts';
import { requireBusMap, requireBusesMap, requireTracksMap } from './requireMixMaps.ts';

/**
 * Removes a bus. In the same transaction, strips that routed to it go to the master and
 * sends to it are deleted with their level lanes, so the mix keeps sounding; a peer routing
 * to it concurrently is fixed by repairMix.
 */
export function removeBus(doc: Y.Doc, args: { busId: Id }, origin: TransactionOrigin): void {
  requireBusMap(doc, args.busId);
  const buses = requireBusesMap(doc);
  const tracks = requireTracksMap(doc);
  doc.transact(() => {
    buses.delete(args.busId);
    for (const strips of [tracks, buses]) {
      for (const strip of strips.values()) {
        if (!(strip instanceof Y.Map)) continue;
        if (strip.get('output') === args.busId) strip.set('output', 'master');
        const sends = strip.get('sends');
        if (sends instanceof Y.Map && sends.has(args.busId)) sends.delete(args.busId);
        deleteLanePoints(strip, sendLevelPath(args.busId));
      }
    }
  }, origin);
}
