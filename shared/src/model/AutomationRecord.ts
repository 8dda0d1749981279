import * as Y from 'yjs';
import { isAutomatable, isSwitchPath, MAX_AUTOMATION_SECONDS, MAX_POINTS_PER_LANE, MIN_POINT_GAP_SECONDS, normalizeLane, AUTOMATION_CURVES, type AutomationLane, type AutomationLanes, type AutomationScope, type RawAutomationPoint } from './AutomationLane.ts';
import type { DocShape } from './DocShape.ts';
import type { NumberRange, ParamSpec } from './ParamSpec.ts';
import { SEND_SPEC } from './SendSpec.ts';
import { isRawRecord, type RawRecord } from './checkFields.ts';
import { isValidId } from './createId.ts';

/**
 * How a strip's lanes are stored, read back, checked and migrated (the lane itself is in
 * AutomationLane.ts). Stored flat, one entry per point for the whole strip:
 *
 *   automation: { [pointId]: { param, time, value, curve } }     (each point one atomic leaf)
 *
 * not nested by lane: a lane's Y.Map would have to be created by its first point, and two
 * users adding the first points of a lane at once would each create one, and one map with
 * its points would be lost. The strip's `automation` map is created with the strip (and by
 * the schema v4 migration), so inserts converge by point id, a move replaces its point whole
 * (last writer wins, never a duplicate) and a delete removes exactly the points it saw.
 */

/** The schema version that added `automation` to every track, bus and the master. */
export const AUTOMATION_SINCE = 4;

/** The key of a strip's automation map. */
export const AUTOMATION_KEY = 'automation';

/** The lane path of a strip's send level to `busId` ('sends.<busId>.level'). */
export function sendLevelPath(busId: string): string {
  return `sends.${busId}.level`;
}

const SEND_PREFIX = 'sends.';
const SEND_SUFFIX = '.level';

/** The bus a send-level lane path names ('sends.b1.level' -> 'b1'), else null. */
export function sendBusOfPath(path: string): string | null {
  if (!path.startsWith(SEND_PREFIX) || !path.endsWith(SEND_SUFFIX)) return null;
  const bus = path.slice(SEND_PREFIX.length, path.length - SEND_SUFFIX.length);
  return isValidId(bus) ? bus : null;
}

/**
 * The range a lane at `path` of a `scope` strip is clamped to ('switch' for mute), read from
 * the record's flattened parameter table (`params`; send levels from SEND_SPEC); null when
 * the parameter may not carry a lane.
 */
export function laneRangeIn(scope: AutomationScope, path: string, params: Readonly<Record<string, ParamSpec>>): NumberRange | 'switch' | null {
  if (!isAutomatable(scope, path)) return null;
  const bus = sendBusOfPath(path);
  const spec: ParamSpec | undefined = bus !== null ? SEND_SPEC.level : Object.hasOwn(params, path) ? params[path] : undefined;
  if (!spec) return null;
  if (spec.kind === 'number') return spec.range;
  return spec.kind === 'boolean' && isSwitchPath(path) ? 'switch' : null;
}

/** A point as stored in the strip's automation map (its key is its id). */
export interface StoredAutomationPoint {
  readonly param: string;
  readonly time: number;
  readonly value: number;
  readonly curve: string;
}

/** The fields of a StoredAutomationPoint: a stored point holding any other is repaired. */
export const STORED_POINT_KEYS: ReadonlySet<string> = new Set(['param', 'time', 'value', 'curve']);

/** A strip's lanes as stored: see the layout above. */
export function automationToDocShape(lanes: AutomationLanes): DocShape {
  const out: Record<string, StoredAutomationPoint> = {};
  for (const [param, lane] of Object.entries(lanes)) {
    for (const p of lane.points) out[p.id] = { param, time: p.time, value: p.value, curve: p.curve };
  }
  return out as unknown as DocShape;
}

/** What a strip's lanes read back against: its kind, its parameter table and the buses it has sends to. */
export interface LaneContext {
  readonly scope: AutomationScope;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** A send-level lane is kept only while the strip has that send. */
  readonly sendBuses: ReadonlySet<string>;
}

function laneRange(ctx: LaneContext, path: string): NumberRange | 'switch' | null {
  const bus = sendBusOfPath(path);
  if (bus !== null && !ctx.sendBuses.has(bus)) return null;
  return laneRangeIn(ctx.scope, path, ctx.params);
}

/**
 * The stored automation map read back: points grouped by lane, lanes for parameters that may
 * not carry one (or for sends the strip no longer has) dropped, each lane through
 * normalizeLane, empty lanes left out, lanes keyed in sorted order so every peer builds the
 * same object.
 */
export function sanitizeAutomation(raw: unknown, ctx: LaneContext): AutomationLanes {
  if (!isRawRecord(raw)) return {};
  const byLane = new Map<string, RawAutomationPoint[]>();
  // A plain loop: this runs on every read of the mix, over every point of the strip. Own
  // keys only: a stored `__proto__` key becomes the read object's prototype, and its keys
  // would read as points that no op can see or delete.
  for (const id in raw) {
    if (!Object.hasOwn(raw, id)) continue;
    const v = raw[id] as RawRecord | null;
    if (typeof v !== 'object' || v === null || typeof v.param !== 'string' || !isValidId(id)) continue;
    let list = byLane.get(v.param);
    if (!list) byLane.set(v.param, (list = []));
    list.push({ id, time: v.time, value: v.value, curve: v.curve });
  }
  const out: Record<string, AutomationLane> = {};
  for (const path of [...byLane.keys()].sort()) {
    const range = laneRange(ctx, path);
    if (range === null) continue;
    const lane = normalizeLane(byLane.get(path)!, range);
    if (lane.points.length > 0) out[path] = lane;
  }
  return out;
}

/**
 * Checks a strip's `automation` in a MixState and appends every issue: lanes only for
 * parameters that may carry one (send levels only for the strip's sends), each lane
 * non-empty, at most MAX_POINTS_PER_LANE points, exactly as normalizeLane would read it
 * (sorted, at least MIN_POINT_GAP_SECONDS apart, values in range, switches 0/1 held), point
 * ids valid and unique across the strip (they are the keys of one map). Missing is fine:
 * snapshots from before schema v4 have no lanes.
 */
export function checkAutomation(o: RawRecord, path: string, ctx: LaneContext, issues: string[]): void {
  if (!Object.hasOwn(o, AUTOMATION_KEY)) return;
  const here = `${path}.${AUTOMATION_KEY}`;
  const lanes = o[AUTOMATION_KEY];
  if (!isRawRecord(lanes)) {
    issues.push(`${here}: expected an object of lanes`);
    return;
  }
  const ids = new Set<string>();
  for (const [param, lane] of Object.entries(lanes)) {
    const at = `${here}[${JSON.stringify(param)}]`;
    const range = laneRange(ctx, param);
    if (range === null) {
      issues.push(`${at}: not an automatable parameter of this strip`);
      continue;
    }
    const points = isRawRecord(lane) ? lane.points : undefined;
    if (!Array.isArray(points)) {
      issues.push(`${at}.points: expected an array`);
      continue;
    }
    if (points.length === 0) issues.push(`${at}.points: a lane has at least one point`);
    if (points.length > MAX_POINTS_PER_LANE) issues.push(`${at}.points: more than ${MAX_POINTS_PER_LANE} points`);
    let prev = Number.NEGATIVE_INFINITY;
    points.slice(0, MAX_POINTS_PER_LANE + 1).forEach((p: unknown, i) => {
      const pp = `${at}.points[${i}]`;
      if (!isRawRecord(p)) return void issues.push(`${pp}: expected a point`);
      if (!isValidId(p.id)) issues.push(`${pp}.id: expected 1..64 letters, digits, _ or -`);
      else if (ids.has(p.id)) issues.push(`${pp}.id: duplicate point id ${p.id}`);
      else ids.add(p.id);
      const { time, value, curve } = p;
      if (typeof time !== 'number' || !Number.isFinite(time) || time < 0 || time > MAX_AUTOMATION_SECONDS) issues.push(`${pp}.time: expected seconds in 0..${MAX_AUTOMATION_SECONDS}`);
      else {
        // The same test normalizeLane makes, so a valid lane reads back unchanged.
        if (time < prev + MIN_POINT_GAP_SECONDS) issues.push(`${pp}.time: not after the previous point by at least ${MIN_POINT_GAP_SECONDS} s`);
        prev = time;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) issues.push(`${pp}.value: expected a finite number`);
      else if (range === 'switch' ? value !== 0 && value !== 1 : value < range.min || value > range.max) {
        issues.push(`${pp}.value: ${value} outside ${range === 'switch' ? '0 or 1' : `${range.min}..${range.max} ${range.unit}`}`);
      }
      if (!(AUTOMATION_CURVES as readonly unknown[]).includes(curve)) issues.push(`${pp}.curve: expected one of ${AUTOMATION_CURVES.join(', ')}`);
      else if (range === 'switch' && curve !== 'step') issues.push(`${pp}.curve: a switch lane holds its values (step)`);
    });
  }
}

/**
 * Brings one stored strip (track, bus or the master) from schema `from` to `from + 1`: at
 * v4 it gets its empty automation map, so an old mix sounds exactly as before.
 */
export function migrateAutomation(map: Y.Map<unknown>, from: number): void {
  if (from + 1 === AUTOMATION_SINCE && !(map.get(AUTOMATION_KEY) instanceof Y.Map)) map.set(AUTOMATION_KEY, new Y.Map<unknown>());
}

/** A record of a snapshot taken before schema v4 gets its (empty) lanes; `record` itself otherwise. */
export function withAutomation<R extends object>(record: R): R {
  return Object.hasOwn(record, AUTOMATION_KEY) ? record : { ...record, [AUTOMATION_KEY]: {} };
}

/** `lanes` without the send-level lanes to `buses` (a dropped send takes its lane along); `lanes` itself when none is there. */
export function withoutSendLanes(lanes: AutomationLanes, buses: Iterable<string>): AutomationLanes {
  let out: Record<string, AutomationLane> | null = null;
  for (const bus of buses) {
    const path = sendLevelPath(bus);
    if (!Object.hasOwn(lanes, path)) continue;
    out ??= { ...lanes };
    delete out[path];
  }
  return out ?? lanes;
}
