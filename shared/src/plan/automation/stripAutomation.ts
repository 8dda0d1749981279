import { isAutomatable, isSwitchPath, type AutomationLanes, type AutomationScope } from '../../model/AutomationLane.ts';
import { laneSchedule } from './laneSchedule.ts';
import { BALANCE_LEFT, BALANCE_RIGHT, DB_TO_GAIN, gateSchedule, mapSchedule } from './mapSchedule.ts';
import type { ParamSchedule } from './ParamSchedule.ts';

/** A strip record that may carry lanes (the model adds `automation` to tracks, buses and the master). */
interface WithLanes {
  readonly automation?: AutomationLanes;
}

/**
 * The schedules a strip's lanes give its plan nodes, in each node's unit. Only automatable
 * paths with at least one point count; everything else plays its static value.
 */
export interface StripAutomation {
  /** A lane's schedule in the parameter's model unit (EQ Hz and dB, pan, threshold, drive, ceiling). */
  linear(path: string): ParamSchedule | null;
  /** A dB lane as linear gain (faders, send levels). */
  gain(path: string): ParamSchedule | null;
  /** The strip's mute lane as an open (1) / closed (0) switch, null without one. */
  readonly open: ParamSchedule | null;
  /** A gain node's schedule: `gain` (static if null) through the open switch of the mute lane. */
  gated(gain: ParamSchedule | null, staticGain: number): ParamSchedule | undefined;
  /** The balance law's channel gains following a pan schedule. */
  balance(pan: ParamSchedule): { left: ParamSchedule; right: ParamSchedule };
}

/** Reads `strip.automation` (absent on records from before automation: no lanes). */
export function stripAutomation(strip: object, scope: AutomationScope, sampleRate: number): StripAutomation {
  const lanes = (strip as WithLanes).automation ?? {};
  const linear = (path: string): ParamSchedule | null => {
    const lane = Object.hasOwn(lanes, path) ? lanes[path] : undefined;
    if (!lane || !isAutomatable(scope, path) || isSwitchPath(path)) return null;
    return laneSchedule(lane, sampleRate);
  };
  const mute = Object.hasOwn(lanes, 'mute') && isAutomatable(scope, 'mute') ? laneSchedule(lanes['mute']!, sampleRate) : null;
  const open = mute && mute.map((e) => ({ time: e.time, value: e.value >= 0.5 ? 0 : 1, ramp: false }));
  return {
    linear,
    gain: (path) => {
      const s = linear(path);
      return s && mapSchedule(s, DB_TO_GAIN);
    },
    open,
    gated: (gain, staticGain) => {
      if (!open) return gain ?? undefined;
      return gateSchedule(gain ?? [{ time: 0, value: staticGain, ramp: false }], open);
    },
    balance: (pan) => ({ left: mapSchedule(pan, BALANCE_LEFT), right: mapSchedule(pan, BALANCE_RIGHT) }),
  };
}
