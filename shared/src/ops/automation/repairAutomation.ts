import * as Y from 'yjs';
import type { AutomationLanes } from '../../model/AutomationLane.ts';
import { AUTOMATION_KEY } from '../../model/AutomationRecord.ts';
import { sanitizeBus } from '../../model/BusRecord.ts';
import { sanitizeMaster } from '../../model/MasterRecord.ts';
import { getBusesMap, getMasterMap, getTracksMap } from '../../model/mixDocAccessors.ts';
import { sanitizeTrack } from '../../model/TrackRecord.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';

/** Every strip map of the mix, each with how its lanes read (as readMixState reads them). */
function stripsOf(doc: Y.Doc): Array<[Y.Map<unknown>, () => AutomationLanes]> {
  const out: Array<[Y.Map<unknown>, () => AutomationLanes]> = [];
  for (const [id, strip] of getTracksMap(doc)?.entries() ?? []) {
    if (strip instanceof Y.Map) out.push([strip, () => sanitizeTrack(id, strip.toJSON()).automation]);
  }
  for (const [id, strip] of getBusesMap(doc)?.entries() ?? []) {
    if (strip instanceof Y.Map) out.push([strip, () => sanitizeBus(id, strip.toJSON()).automation]);
  }
  const master = getMasterMap(doc);
  if (master) out.push([master, () => sanitizeMaster(master.toJSON()).automation]);
  return out;
}

/**
 * Deletes every stored automation entry that no lane holds, on the strips in `only` (all
 * when omitted): malformed points (NaN, Infinity, wrong types, bad ids), points of
 * parameters that may not move or of sends the strip lacks, points beyond
 * MAX_POINTS_PER_LANE, and nested Yjs types (they read back as points no op can see).
 * What peers read does not change (sanitizeAutomation already drops all of these); the
 * document stops carrying them, so a modified client cannot grow a lane past its limit or
 * fill it with points that count against it unseen. Deterministic and deletes only, like
 * repairMix. @returns how many entries were deleted.
 */
export function repairAutomation(doc: Y.Doc, origin: TransactionOrigin, only?: ReadonlySet<Y.Map<unknown>>): number {
  const stale: Array<[Y.Map<unknown>, string]> = [];
  for (const [strip, lanes] of stripsOf(doc)) {
    if (only && !only.has(strip)) continue;
    const map = strip.get(AUTOMATION_KEY);
    if (!(map instanceof Y.Map)) continue;
    const kept = new Set<string>();
    for (const lane of Object.values(lanes())) for (const p of lane.points) kept.add(p.id);
    for (const [key, value] of map.entries()) if (!kept.has(key) || value instanceof Y.AbstractType) stale.push([map, key]);
  }
  if (stale.length > 0) doc.transact(() => stale.forEach(([map, key]) => map.delete(key)), origin);
  return stale.length;
}
