import type * as Y from 'yjs';
import { getBusMap, getBusesMap, getMasterMap, getSessionMap, getTrackMap, getTracksMap } from '../model/mixDocAccessors.ts';
import { MixOpError } from './MixOpError.ts';

/**
 * Lookups for ops: return the Y.Map or throw a MixOpError a user can act on. Ops call them
 * before writing so a refused op changes nothing.
 */
export function requireTracksMap(doc: Y.Doc): Y.Map<unknown> {
  const map = getTracksMap(doc);
  if (!map) throw new MixOpError('not-initialised', 'This room has no mix yet: the server has not initialised it');
  return map;
}

export function requireBusesMap(doc: Y.Doc): Y.Map<unknown> {
  const map = getBusesMap(doc);
  if (!map) throw new MixOpError('not-initialised', 'This room has no mix yet: the server has not initialised it');
  return map;
}

export function requireMasterMap(doc: Y.Doc): Y.Map<unknown> {
  const map = getMasterMap(doc);
  if (!map) throw new MixOpError('not-initialised', 'This room has no mix yet: the server has not initialised it');
  return map;
}

export function requireSessionMap(doc: Y.Doc): Y.Map<unknown> {
  const map = getSessionMap(doc);
  if (!map) throw new MixOpError('not-initialised', 'This room has no mix yet: the server has not initialised it');
  return map;
}

function checkId(id: unknown, what: string): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) throw new MixOpError('wrong-type', `${what} id must be a non-empty string`);
}

export function requireTrackMap(doc: Y.Doc, id: unknown): Y.Map<unknown> {
  checkId(id, 'Track');
  const map = getTrackMap(doc, id);
  if (!map) throw new MixOpError('unknown-track', `Track ${id} no longer exists (another user may have removed it)`);
  return map;
}

export function requireBusMap(doc: Y.Doc, id: unknown): Y.Map<unknown> {
  checkId(id, 'Bus');
  const map = getBusMap(doc, id);
  if (!map) throw new MixOpError('unknown-bus', `Bus ${id} no longer exists (another user may have removed it)`);
  return map;
}

/** A track or bus by id (ids are unique across both). */
export function requireStripMap(doc: Y.Doc, id: unknown): { owner: 'track' | 'bus'; map: Y.Map<unknown> } {
  checkId(id, 'Track or bus');
  const track = getTrackMap(doc, id);
  if (track) return { owner: 'track', map: track };
  const bus = getBusMap(doc, id);
  if (bus) return { owner: 'bus', map: bus };
  throw new MixOpError('unknown-track', `Track or bus ${id} no longer exists (another user may have removed it)`);
}
