import * as Y from 'yjs';
import { getBusesMap, getMixRoot, getTracksMap } from '../model/mixDocAccessors.ts';

const ROUTING_KEYS = new Set(['output', 'sends', 'sidechain', 'kind', 'tracks', 'buses']);

/**
 * True when a transaction may have broken a routing invariant: it added or removed a track
 * or bus, touched a sends map, or changed an output, sidechain or bus kind. Lets peers skip
 * repair for the common case (a fader or EQ edit), which cannot break routing.
 */
export function touchesRouting(doc: Y.Doc, tr: Y.Transaction): boolean {
  const collections = new Set<unknown>([getMixRoot(doc), getTracksMap(doc), getBusesMap(doc)]);
  for (const [type, keys] of tr.changed) {
    if (collections.has(type)) return true;
    if (type instanceof Y.Map && type._item?.parentSub === 'sends') return true;
    for (const key of keys) if (key !== null && ROUTING_KEYS.has(key)) return true;
  }
  return false;
}
