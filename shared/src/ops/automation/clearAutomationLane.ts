import type * as Y from 'yjs';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import type { ParamAddress } from '../ParamAddress.ts';
import { deleteLanePoints } from './deleteLanePoints.ts';
import { requireLane, storedLanePoints } from './requireLane.ts';

/**
 * Removes every point of the lane: the parameter plays its static value again. Deletes the
 * points this peer sees, so a point a peer adds at the same moment survives.
 * @returns how many were removed.
 */
export function clearAutomationLane(doc: Y.Doc, args: { address: ParamAddress }, origin: TransactionOrigin): number {
  const lane = requireLane(doc, args.address);
  if (storedLanePoints(lane).size === 0) return 0;
  let removed = 0;
  doc.transact(() => (removed = deleteLanePoints(lane.strip, lane.path)), origin);
  return removed;
}
