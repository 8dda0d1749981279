import type * as Y from 'yjs';
import type { StoredAutomationPoint } from '../../model/AutomationRecord.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import { MixOpError } from '../MixOpError.ts';
import type { ParamAddress } from '../ParamAddress.ts';
import { coerceAutomationCurve, coerceAutomationTime, coerceAutomationValue } from './coerceAutomationPoint.ts';
import { ensureAutomationMap, requireLane, storedLanePoints, type LaneTarget } from './requireLane.ts';

/** The stored point `id` of the lane, or 'unknown-point'. */
export function requirePoint(lane: LaneTarget, id: unknown): StoredAutomationPoint {
  if (typeof id !== 'string') throw new MixOpError('wrong-type', 'A point id must be a string');
  const point = storedLanePoints(lane).get(id);
  if (!point) throw new MixOpError('unknown-point', `${lane.label} has no point ${id} (another user may have removed it)`);
  return point;
}

/**
 * Moves a breakpoint in time and/or value (clamped like addAutomationPoint). The point is
 * rewritten whole, so of two users dragging it at once the last write wins on every peer,
 * and a move concurrent with its deletion brings it back where it was moved to.
 */
export function moveAutomationPoint(doc: Y.Doc, args: { address: ParamAddress; id: string; time?: number; value?: number | boolean }, origin: TransactionOrigin): void {
  const lane = requireLane(doc, args.address);
  const stored = requirePoint(lane, args.id);
  if (args.time === undefined && args.value === undefined) throw new MixOpError('invalid-value', 'Moving a point needs a time or a value');
  const point: StoredAutomationPoint = {
    param: lane.path,
    time: coerceAutomationTime(lane, args.time ?? stored.time),
    value: coerceAutomationValue(lane, args.value ?? stored.value),
    curve: coerceAutomationCurve(lane, stored.curve === 'step' || stored.curve === 'linear' ? stored.curve : undefined),
  };
  if (point.time === stored.time && point.value === stored.value && point.curve === stored.curve) return;
  doc.transact(() => ensureAutomationMap(lane.strip).set(args.id, point), origin);
}
