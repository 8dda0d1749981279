import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { sendLevelPath } from '../model/AutomationRecord.ts';
import { MixOpError } from './MixOpError.ts';
import { deleteLanePoints } from './automation/deleteLanePoints.ts';
import { requireStripMap } from './requireMixMaps.ts';

/** Removes the send from a track or group bus to an aux bus (no-op if there is none), and its level's lane. */
export function removeSend(doc: Y.Doc, args: { fromId: Id; busId: Id }, origin: TransactionOrigin): void {
  const { map } = requireStripMap(doc, args.fromId);
  if (typeof args.busId !== 'string') throw new MixOpError('wrong-type', 'Bus id must be a string');
  const sends = map.get('sends');
  doc.transact(() => {
    if (sends instanceof Y.Map && sends.has(args.busId)) sends.delete(args.busId);
    deleteLanePoints(map, sendLevelPath(args.busId));
  }, origin);
}
