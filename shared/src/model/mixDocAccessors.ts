import * as Y from 'yjs';
import { MIX_ROOT } from './mixDocShape.ts';

/**
 * Typed accessors to the Yjs layout (see mixDocShape.ts). They only read the structure;
 * writes go through shared/ops. Each returns null when the part does not exist (document
 * not initialised yet, or the object was deleted by a peer).
 */

/** The root map holding the whole mix. */
export function getMixRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(MIX_ROOT);
}

function child(map: Y.Map<unknown> | null, key: string): Y.Map<unknown> | null {
  const value = map?.get(key);
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : null;
}

/** The session map (title, sampleRate, schemaVersion, tempo). */
export function getSessionMap(doc: Y.Doc): Y.Map<unknown> | null {
  return child(getMixRoot(doc), 'session');
}

/** The tracks map, keyed by track id. */
export function getTracksMap(doc: Y.Doc): Y.Map<unknown> | null {
  return child(getMixRoot(doc), 'tracks');
}

/** The buses map, keyed by bus id. */
export function getBusesMap(doc: Y.Doc): Y.Map<unknown> | null {
  return child(getMixRoot(doc), 'buses');
}

/** The master map (gain, glue, limiter). */
export function getMasterMap(doc: Y.Doc): Y.Map<unknown> | null {
  return child(getMixRoot(doc), 'master');
}

/** A track's Y.Map by id. */
export function getTrackMap(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  return child(getTracksMap(doc), id);
}

/** A bus's Y.Map by id. */
export function getBusMap(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  return child(getBusesMap(doc), id);
}

/** Follows a path of nested Y.Map keys from `map` (e.g. ['eq', 'bands', '2']). */
export function getNestedMap(map: Y.Map<unknown> | null, path: readonly string[]): Y.Map<unknown> | null {
  let current = map;
  for (const key of path) current = child(current, key);
  return current;
}

/** The schema version stored in the document, or null when not initialised. */
export function getSchemaVersion(doc: Y.Doc): number | null {
  const v = getSessionMap(doc)?.get('schemaVersion');
  return typeof v === 'number' ? v : null;
}
