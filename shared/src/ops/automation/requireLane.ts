import * as Y from 'yjs';
import type { AutomationScope } from '../../model/AutomationLane.ts';
import { AUTOMATION_KEY, sendLevelPath, type StoredAutomationPoint } from '../../model/AutomationRecord.ts';
import { laneRangeOf } from '../../model/laneRangeOf.ts';
import type { NumberRange } from '../../model/ParamSpec.ts';
import { MixOpError } from '../MixOpError.ts';
import { paramPathOf, type ParamAddress } from '../ParamAddress.ts';
import { requireBusMap, requireMasterMap, requireStripMap, requireTrackMap } from '../requireMixMaps.ts';

/** The lane an automation op edits, found and checked before anything is written. */
export interface LaneTarget {
  /** The strip's Y.Map (track, bus or master). */
  readonly strip: Y.Map<unknown>;
  readonly scope: AutomationScope;
  /** Strip-relative param path ('gain', 'sends.<busId>.level'): the points' `param`. */
  readonly path: string;
  /** What values are clamped to; 'switch' for mute (0/1, held). */
  readonly range: NumberRange | 'switch';
  /** Names the lane in messages ("Track vox gain"). */
  readonly label: string;
}

function stripOf(doc: Y.Doc, address: ParamAddress): { strip: Y.Map<unknown>; scope: AutomationScope; path: string; label: string } | null {
  switch (address.kind) {
    case 'track':
      return { strip: requireTrackMap(doc, address.trackId), scope: 'track', path: address.param, label: `Track ${address.trackId}` };
    case 'bus':
      return { strip: requireBusMap(doc, address.busId), scope: 'bus', path: address.param, label: `Bus ${address.busId}` };
    case 'master':
      return { strip: requireMasterMap(doc), scope: 'master', path: address.param, label: 'Master' };
    case 'send': {
      const { owner, map } = requireStripMap(doc, address.fromId);
      if (address.param !== 'level') return null;
      const sends = map.get('sends');
      if (!(sends instanceof Y.Map) || !(sends.get(address.busId) instanceof Y.Map)) {
        throw new MixOpError('unknown-bus', `There is no send to bus ${address.busId} (it may have been removed)`);
      }
      return { strip: map, scope: owner, path: sendLevelPath(address.busId), label: `${owner === 'track' ? 'Track' : 'Bus'} ${address.fromId}` };
    }
    default:
      return null;
  }
}

/**
 * The lane at `address`, or a MixOpError: 'not-automatable' for a parameter that may not
 * carry one (see isAutomatable), the usual unknown-track/bus errors for a vanished strip or
 * send.
 */
export function requireLane(doc: Y.Doc, address: ParamAddress): LaneTarget {
  if (typeof address !== 'object' || address === null) throw new MixOpError('wrong-type', 'An automation lane is addressed by a ParamAddress');
  const found = stripOf(doc, address);
  const range = found ? laneRangeOf(found.scope, found.path) : null;
  if (!found || range === null) throw new MixOpError('not-automatable', `${paramPathOf(address)} cannot be automated`);
  return { ...found, range, label: `${found.label} ${found.path}` };
}

/** The strip's automation map, or null when a damaged document lacks it. */
export function automationMapOf(strip: Y.Map<unknown>): Y.Map<unknown> | null {
  const map = strip.get(AUTOMATION_KEY);
  return map instanceof Y.Map ? (map as Y.Map<unknown>) : null;
}

/** The strip's automation map, recreated if a damaged document lacks it (inside a transaction). */
export function ensureAutomationMap(strip: Y.Map<unknown>): Y.Map<unknown> {
  const existing = automationMapOf(strip);
  if (existing) return existing;
  const map = new Y.Map<unknown>();
  strip.set(AUTOMATION_KEY, map);
  return map;
}

/** The stored points of the lane, by id, as this peer sees them (before normalizeLane). */
export function storedLanePoints(lane: LaneTarget): Map<string, StoredAutomationPoint> {
  const out = new Map<string, StoredAutomationPoint>();
  const map = automationMapOf(lane.strip);
  if (!map) return out;
  for (const [id, p] of map.entries()) {
    if (typeof p === 'object' && p !== null && (p as StoredAutomationPoint).param === lane.path) out.set(id, p as StoredAutomationPoint);
  }
  return out;
}
