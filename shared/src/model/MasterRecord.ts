import type { DocShape } from './DocShape.ts';
import type * as Y from 'yjs';
import type { AutomationLanes } from './AutomationLane.ts';
import { AUTOMATION_SINCE, automationToDocShape, checkAutomation, migrateAutomation, sanitizeAutomation, type LaneContext } from './AutomationRecord.ts';
import { addParamsSince, checkParams, flattenParams, paramDefaults, paramSinceVersions, paramsToDocShape, sanitizeParams } from './ParamTable.ts';
import type { ValuesOf } from './ParamSpec.ts';
import { MASTER_SPEC } from './MasterSpec.ts';
import type { RawRecord } from './checkFields.ts';

export interface MasterState extends ValuesOf<typeof MASTER_SPEC> {
  /** Lanes by param path ('gain', 'limiter.ceiling'). */
  automation: AutomationLanes;
}
export type GlueCompressorState = MasterState['glue'];
export type LimiterState = MasterState['limiter'];

/** The master's lanes are read and checked against its table; it has no sends. */
const MASTER_LANES: LaneContext = { scope: 'master', params: flattenParams(MASTER_SPEC), sendBuses: new Set() };

/** Master at unity, glue compressor and limiter off. */
export function defaultMaster(): MasterState {
  return { ...paramDefaults(MASTER_SPEC), automation: {} };
}

/** The master as stored. */
export function masterToDocShape(m: MasterState): DocShape {
  return { ...(paramsToDocShape(MASTER_SPEC, m as unknown as RawRecord) as DocShape), automation: automationToDocShape(m.automation) };
}

/** The stored master read back: malformed values read as their defaults, numbers clamped. */
export function sanitizeMaster(v: unknown): MasterState {
  const automation = sanitizeAutomation(typeof v === 'object' && v !== null ? (v as RawRecord).automation : undefined, MASTER_LANES);
  return { ...sanitizeParams(MASTER_SPEC, v, defaultMaster()), automation };
}

/** Checks the master of a MixState. */
export function checkMaster(m: RawRecord, issues: string[]): void {
  checkParams(MASTER_SPEC, m, 'master', issues);
  checkAutomation(m, 'master', MASTER_LANES, issues);
}

/** Brings the stored master from schema `from` to `from + 1`. */
export function migrateMaster(map: Y.Map<unknown>, from: number): void {
  addParamsSince(MASTER_SPEC, map, from);
  migrateAutomation(map, from);
}

/** Schema versions at which the master changed. */
export const MASTER_SCHEMA_STEPS: readonly number[] = [...paramSinceVersions(MASTER_SPEC), AUTOMATION_SINCE];
