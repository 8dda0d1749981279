import type { AutomationCurve } from '../../model/AutomationLane.ts';
import { isValidId } from '../../model/createId.ts';
import { MixOpError } from '../MixOpError.ts';
import { automationMapOf, type LaneTarget } from './requireLane.ts';

/** A point as an op receives it: value in the parameter's unit (a boolean for mute), seconds. */
export interface AutomationPointInput {
  readonly time: number;
  readonly value: number | boolean;
  /** Defaults to 'linear' ('step' on a switch lane). */
  readonly curve?: AutomationCurve;
  /** A fresh id (createId) unless given; a given id must not name another point of the strip. */
  readonly id?: string;
}

/**
 * Checks an id a caller chose for a new point: valid, and not the id of a point of another
 * lane of the strip (`ownLane` ids may be reused: the op replaces them).
 */
export function checkNewPointId(lane: LaneTarget, id: unknown, ownLane: ReadonlySet<string> = new Set()): string {
  if (!isValidId(id)) throw new MixOpError('wrong-type', 'A point id is 1..64 letters, digits, _ or -');
  if (!ownLane.has(id) && automationMapOf(lane.strip)?.has(id)) throw new MixOpError('invalid-value', `${lane.label} already has a point ${id}`);
  return id;
}
