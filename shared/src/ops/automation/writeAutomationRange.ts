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

export interface WriteAutomationRangeArgs {
  readonly address: ParamAddress;
  /** Start and end of the span in seconds (clamped to [0, MAX_AUTOMATION_SECONDS]); `from` <= `to`. */
  readonly from: number;
  readonly to: number;
  /** The span's new points, each within [from, to]. */
  readonly points: readonly AutomationPointInput[];
}

/**
 * Replaces every point of the lane in [from, to] with `points`, in one transaction (one undo
 * step): what write, touch and latch recording commit, and what a pasted or redrawn span
 * writes. Everything is checked first; a refusal (a point outside the span, a full lane,
 * NaN...) writes nothing. Points of the span a peer adds meanwhile survive the merge.
 * @returns the ids of the written points, in the order given.
 */
export function writeAutomationRange(doc: Y.Doc, args: WriteAutomationRangeArgs, origin: TransactionOrigin): string[] {
  const lane = requireLane(doc, args.address);
  const from = coerceAutomationTime(lane, args.from);
  const to = coerceAutomationTime(lane, args.to);
  if (from > to) throw new MixOpError('invalid-value', `${lane.label}: a span starts before it ends (${from} > ${to} s)`);
  if (!Array.isArray(args.points)) throw new MixOpError('wrong-type', 'A span\'s points must be a list');
  if (args.points.length > MAX_POINTS_PER_LANE) throw new MixOpError('too-many-points', `${lane.label}: at most ${MAX_POINTS_PER_LANE} points in a lane`);
  const stored = storedLanePoints(lane);
  const replaced = [...stored].filter(([, p]) => typeof p.time === 'number' && p.time >= from && p.time <= to).map(([id]) => id);
  const reusable = new Set(replaced);
  const ids = new Set<string>();
  const written = args.points.map((p): [string, StoredAutomationPoint] => {
    if (typeof p !== 'object' || p === null) throw new MixOpError('wrong-type', `${lane.label}: a point is {time, value, curve?, id?}`);
    const time = coerceAutomationTime(lane, p.time);
    if (time < from || time > to) throw new MixOpError('invalid-value', `${lane.label}: point at ${time} s lies outside the span ${from}..${to} s`);
    const id = p.id === undefined ? createId() : checkNewPointId(lane, p.id, reusable);
    if (ids.has(id)) throw new MixOpError('invalid-value', `${lane.label}: point ${id} given twice`);
    ids.add(id);
    return [id, { param: lane.path, time, value: coerceAutomationValue(lane, p.value), curve: coerceAutomationCurve(lane, p.curve) }];
  });
  if (stored.size - replaced.length + written.length > MAX_POINTS_PER_LANE) throw new MixOpError('too-many-points', `${lane.label} would hold more than ${MAX_POINTS_PER_LANE} points`);
  doc.transact(() => {
    const map = ensureAutomationMap(lane.strip);
    for (const id of replaced) if (!ids.has(id)) map.delete(id);
    for (const [id, point] of written) map.set(id, point);
  }, origin);
  return written.map(([id]) => id);
}
