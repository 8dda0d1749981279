import type * as Y from 'yjs';
import { MAX_POINTS_PER_LANE } from '../../model/AutomationLane.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import { MixOpError } from '../MixOpError.ts';
import type { ParamAddress } from '../ParamAddress.ts';
import { automationMapOf, requireLane, storedLanePoints } from './requireLane.ts';

/**
 * Removes breakpoints of the lane by id, in one transaction (one undo step). Ids no longer
 * in the lane (a peer removed them first) are skipped; ids of another lane are not touched.
 * @returns how many were removed.
 */
export function removeAutomationPoints(doc: Y.Doc, args: { address: ParamAddress; ids: readonly string[] }, origin: TransactionOrigin): number {
  const lane = requireLane(doc, args.address);
  if (!Array.isArray(args.ids) || args.ids.some((id) => typeof id !== 'string')) throw new MixOpError('wrong-type', 'Point ids must be a list of strings');
  if (args.ids.length > MAX_POINTS_PER_LANE) throw new MixOpError('invalid-value', `At most ${MAX_POINTS_PER_LANE} points at once`);
  const own = storedLanePoints(lane);
  const ids = [...new Set(args.ids)].filter((id) => own.has(id));
  const map = automationMapOf(lane.strip);
  if (ids.length === 0 || !map) return 0;
  doc.transact(() => ids.forEach((id) => map.delete(id)), origin);
  return ids.length;
}
