import type { AutomationScope } from './AutomationLane.ts';
import { laneRangeIn } from './AutomationRecord.ts';
import { BUS_SPEC } from './BusSpec.ts';
import { MASTER_SPEC } from './MasterSpec.ts';
import { flattenParams } from './ParamTable.ts';
import type { NumberRange, ParamSpec } from './ParamSpec.ts';
import { TRACK_SPEC } from './TrackSpec.ts';

const PARAMS: Readonly<Record<AutomationScope, Readonly<Record<string, ParamSpec>>>> = {
  track: flattenParams(TRACK_SPEC),
  bus: flattenParams(BUS_SPEC),
  master: flattenParams(MASTER_SPEC),
};

/**
 * The range a lane at `path` on a `scope` strip is clamped to ('switch' for mute), from
 * the strip record's table; null when that parameter may not carry a lane. Whether a send
 * lane's send exists is the caller's to check.
 */
export function laneRangeOf(scope: AutomationScope, path: string): NumberRange | 'switch' | null {
  return laneRangeIn(scope, path, PARAMS[scope]);
}
