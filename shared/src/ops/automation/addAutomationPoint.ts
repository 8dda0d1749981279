import type * as Y from 'yjs';
import { MAX_POINTS_PER_LANE } from '../../model/AutomationLane.ts';
import type { StoredAutomationPoint } from '../../model/AutomationRecord.ts';
import { createId } from '../../model/createId.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import { MixOpError } from '../MixOpError.ts';
import type { ParamAddress } from '../ParamAddress.ts';
import { checkNewPointId, type AutomationPointInput } from './AutomationPointInput.ts';
import { coerceAutomationCurve, coerceAutomationTime, coerceAutomationValue } from './coerceAutomationPoint.ts';
import { ensureAutomationMap, requireLane, storedLanePoints } from './requireLane.ts';

/**
 * Adds a breakpoint to the lane of the parameter at `address` (the lane exists once it has
 * a point). Time clamped to [0, MAX_AUTOMATION_SECONDS], value to the parameter's range;
 * NaN, Infinity, wrong types, a full lane ('too-many-points') and parameters that may not
 * move ('not-automatable') throw MixOpError before anything is written. Two users adding
 * points at once converge by id; two at the same time are spaced by normalizeLane.
 * @returns the new point's id.
 */
export function addAutomationPoint(doc: Y.Doc, args: { address: ParamAddress } & AutomationPointInput, origin: TransactionOrigin): string {
  const lane = requireLane(doc, args.address);
  const point: StoredAutomationPoint = {
    param: lane.path,
    time: coerceAutomationTime(lane, args.time),
    value: coerceAutomationValue(lane, args.value),
    curve: coerceAutomationCurve(lane, args.curve),
  };
  const id = args.id === undefined ? createId() : checkNewPointId(lane, args.id);
  if (storedLanePoints(lane).size >= MAX_POINTS_PER_LANE) throw new MixOpError('too-many-points', `${lane.label} already has ${MAX_POINTS_PER_LANE} points`);
  doc.transact(() => ensureAutomationMap(lane.strip).set(id, point), origin);
  return id;
}
