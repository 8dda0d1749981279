import { AUTOMATION_CURVES, MAX_AUTOMATION_SECONDS, type AutomationCurve } from '../../model/AutomationLane.ts';
import { clampToRange } from '../../model/ParamSpec.ts';
import { MixOpError } from '../MixOpError.ts';
import type { LaneTarget } from './requireLane.ts';

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new MixOpError('wrong-type', `${what} must be a number, got ${typeof v}`);
  if (!Number.isFinite(v)) throw new MixOpError('not-finite', `${what} must be a finite number, got ${v}`);
  return v;
}

/** A point's time in seconds, clamped to [0, MAX_AUTOMATION_SECONDS]; NaN, Infinity and non-numbers refused. */
export function coerceAutomationTime(lane: LaneTarget, time: unknown): number {
  return Math.min(MAX_AUTOMATION_SECONDS, Math.max(0, finite(time, `${lane.label} point time`)));
}

/** A point's value in the parameter's unit, clamped to its range; a switch (mute) lane takes 0/1 or a boolean. */
export function coerceAutomationValue(lane: LaneTarget, value: unknown): number {
  if (lane.range === 'switch') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    return finite(value, `${lane.label} point value`) >= 0.5 ? 1 : 0;
  }
  return clampToRange(finite(value, `${lane.label} point value`), lane.range);
}

/** A point's curve: 'linear' unless given; a switch lane only holds ('step'). */
export function coerceAutomationCurve(lane: LaneTarget, curve: unknown): AutomationCurve {
  if (curve === undefined) return lane.range === 'switch' ? 'step' : 'linear';
  if (!(AUTOMATION_CURVES as readonly unknown[]).includes(curve)) throw new MixOpError('invalid-value', `${lane.label} point curve must be one of ${AUTOMATION_CURVES.join(', ')}`);
  if (lane.range === 'switch' && curve !== 'step') throw new MixOpError('invalid-value', `${lane.label} is a switch: its points hold their value (step)`);
  return curve as AutomationCurve;
}
