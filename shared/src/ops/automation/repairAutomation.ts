import * as Y from 'yjs';
import { AUTOMATION_CURVES, type AutomationLanes } from '../../model/AutomationLane.ts';
import { AUTOMATION_KEY, STORED_POINT_KEYS, type StoredAutomationPoint } from '../../model/AutomationRecord.ts';
import { sanitizeBus } from '../../model/BusRecord.ts';
import { sanitizeMaster } from '../../model/MasterRecord.ts';
import { isNewerSchema } from '../../model/isNewerSchema.ts';
import { getBusesMap, getMasterMap, getTracksMap } from '../../model/mixDocAccessors.ts';
import { sanitizeTrack } from '../../model/TrackRecord.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import { ForeignBudget } from '../caps/ForeignBudget.ts';

/**
 * Every strip map of the mix, each with how its lanes read (as readMixState reads them);
 * tracks and buses in id order when `sorted`.
 */
function stripsOf(doc: Y.Doc, sorted: boolean): Array<[Y.Map<unknown>, () => AutomationLanes]> {
  const out: Array<[Y.Map<unknown>, () => AutomationLanes]> = [];
  const entries = (map: Y.Map<unknown> | null) => (sorted ? ForeignBudget.inOrder(map?.entries() ?? []) : [...(map?.entries() ?? [])]);
  for (const [id, strip] of entries(getTracksMap(doc))) {
    if (strip instanceof Y.Map) out.push([strip, () => sanitizeTrack(id, strip.toJSON()).automation]);
  }
  for (const [id, strip] of entries(getBusesMap(doc))) {
    if (strip instanceof Y.Map) out.push([strip, () => sanitizeBus(id, strip.toJSON()).automation]);
  }
  const master = getMasterMap(doc);
  if (master) out.push([master, () => sanitizeMaster(master.toJSON()).automation]);
  return out;
}

/**
 * Whether a stored point that a lane holds carries more than its four fields: fields no
 * point has (a client can add any number, each unbounded) or a curve no lane reads.
 * A plain loop, as this runs over every point of a strip on each repair.
 */
function hasStrayFields(point: Readonly<Record<string, unknown>>): boolean {
  for (const key in point) if (!STORED_POINT_KEYS.has(key)) return true;
  return !(AUTOMATION_CURVES as readonly unknown[]).includes(point.curve);
}

/**
 * Deletes every stored automation entry that no lane holds, on the strips in `only` (all
 * when omitted): malformed points (NaN, Infinity, wrong types, bad ids), points of
 * parameters that may not move or of sends the strip lacks, points beyond
 * MAX_POINTS_PER_LANE, and nested Yjs types (they read back as points no op can see).
 * A point a lane holds that also carries stray fields (hasStrayFields) is written back
 * as the lane reads it, so it keeps its place and value and loses only what no peer reads.
 * What peers read does not change (sanitizeAutomation already drops all of these); the
 * document stops carrying them, so a modified client cannot grow a lane past its limit or
 * fill it with points that count against it unseen. Deterministic (a rewrite writes what
 * every peer reads), like repairMix.
 *
 * A newer schema's document (isNewerSchema) is left to repairCaps, which passes its
 * `budget`: what this version cannot read (points of parameters it does not know, fields it
 * does not know) is then kept while the budget lasts, every strip's points charged in id
 * order, and the rest deleted or cleaned as above. @returns how many entries were deleted or
 * rewritten.
 */
export function repairAutomation(doc: Y.Doc, origin: TransactionOrigin, only?: ReadonlySet<Y.Map<unknown>>, budget?: ForeignBudget): number {
  if (!budget && isNewerSchema(doc)) return 0;
  const stale: Array<[Y.Map<unknown>, string]> = [];
  const cleaned: Array<[Y.Map<unknown>, string, StoredAutomationPoint]> = [];
  for (const [strip, lanes] of stripsOf(doc, budget !== undefined)) {
    if (only && !only.has(strip)) continue;
    const map = strip.get(AUTOMATION_KEY);
    if (!(map instanceof Y.Map)) continue;
    const kept = new Map<string, StoredAutomationPoint>();
    for (const [param, lane] of Object.entries(lanes())) for (const p of lane.points) kept.set(p.id, { param, time: p.time, value: p.value, curve: p.curve });
    for (const [key, value] of budget ? ForeignBudget.inOrder(map.entries()) : map.entries()) {
      const read = kept.get(key);
      if (!read || value instanceof Y.AbstractType) {
        if (!budget?.take(value)) stale.push([map, key]);
      } else if (hasStrayFields(value as Record<string, unknown>) && !budget?.take(value)) {
        const stored = value as Record<string, unknown>;
        // The stored time and value (the lane may show them clamped or pushed to its gap).
        cleaned.push([map, key, { param: read.param, time: stored.time as number, value: stored.value as number, curve: read.curve }]);
      }
    }
  }
  if (stale.length + cleaned.length > 0) {
    doc.transact(() => {
      for (const [map, key] of stale) map.delete(key);
      for (const [map, key, point] of cleaned) map.set(key, point);
    }, origin);
  }
  return stale.length + cleaned.length;
}
