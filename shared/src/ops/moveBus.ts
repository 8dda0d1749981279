import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { checkIndex, moveStrip } from './moveStrip.ts';
import { requireBusMap, requireBusesMap } from './requireMixMaps.ts';

/** Moves a bus to position `toIndex` (0 = first) in the bus list. */
export function moveBus(doc: Y.Doc, args: { busId: Id; toIndex: number }, origin: TransactionOrigin): void {
  requireBusMap(doc, args.busId);
  const buses = requireBusesMap(doc);
  const toIndex = checkIndex(args.toIndex);
  doc.transact(() => moveStrip(buses, args.busId, toIndex), origin);
}
