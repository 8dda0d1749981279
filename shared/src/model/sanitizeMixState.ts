import { sanitizeBus } from './BusRecord.ts';
import { sanitizeMaster } from './MasterRecord.ts';
import type { MixState } from './MixState.ts';
import { sanitizeSession } from './SessionRecord.ts';
import { compareByOrder } from './StripRecord.ts';
import { sanitizeTrack } from './TrackRecord.ts';
import { isValidId } from './createId.ts';

export { compareByOrder } from './StripRecord.ts';

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {};
}

/**
 * Reads the JSON of the root map (`getMixRoot(doc).toJSON()`) into a well-typed MixState:
 * missing or malformed values read as their defaults, numbers are clamped to their ranges,
 * tracks and buses are sorted by (order, id), sends by bus id; entries with an invalid id
 * (see isValidId) are skipped, as is a bus reusing a track's id. References between objects
 * (outputs, sends, sidechains) are NOT checked here: repairMixState does that.
 */
export function sanitizeMixState(rootJson: unknown): MixState {
  const root = obj(rootJson);
  const tracks = obj(root.tracks);
  const buses = obj(root.buses);
  const isStrip = (entries: Raw, id: string) => isValidId(id) && typeof entries[id] === 'object' && entries[id] !== null;
  return {
    session: sanitizeSession(root.session),
    tracks: Object.keys(tracks)
      .filter((id) => isStrip(tracks, id))
      .map((id) => sanitizeTrack(id, tracks[id]))
      .sort(compareByOrder),
    buses: Object.keys(buses)
      // A bus whose id collides with a track's is unreachable: ids must be unique across both.
      .filter((id) => isStrip(buses, id) && !Object.hasOwn(tracks, id))
      .map((id) => sanitizeBus(id, buses[id]))
      .sort(compareByOrder),
    master: sanitizeMaster(root.master),
  };
}
