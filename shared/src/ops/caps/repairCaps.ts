import * as Y from 'yjs';
import { isValidId } from '../../model/createId.ts';
import { MIX_CAPS } from '../../model/MIX_CAPS.ts';
import { isNewerSchema } from '../../model/isNewerSchema.ts';
import { getBusesMap, getMasterMap, getMixRoot, getSessionMap, getTracksMap } from '../../model/mixDocAccessors.ts';
import { sanitizeMixState } from '../../model/sanitizeMixState.ts';
import { MIX_KEYS } from '../../model/MIX_KEYS.ts';
import { STRIP_KEYS } from '../../model/STRIP_KEYS.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import { repairAutomation } from '../automation/repairAutomation.ts';
import { repairMix } from '../repairMix.ts';
import { dropUnknownKeys, isForeignEntry, isStrayEntry } from './dropUnknownKeys.ts';
import { ForeignBudget } from './ForeignBudget.ts';
import { emptySequence } from './emptySequence.ts';

/** A capped text field: a string past `max` is cut to it, anything else but a string is deleted. */
function capText(map: Y.Map<unknown>, key: string, max: number): number {
  if (!map.has(key)) return 0;
  const value = map.get(key);
  if (typeof value !== 'string') {
    map.delete(key);
    return 1;
  }
  if (value.length <= max) return 0;
  map.set(key, value.slice(0, max));
  return 1;
}

/** Deletes the entries of a tracks or buses map that are not strips (a bad id, not a Y.Map). */
function dropJunkStrips(strips: Y.Map<unknown>, taken: ReadonlyMap<string, unknown>): number {
  let n = 0;
  for (const [id, value] of [...strips.entries()]) {
    if (isValidId(id) && value instanceof Y.Map && !taken.has(id)) continue;
    strips.delete(id);
    n += 1;
  }
  return n;
}

/**
 * Brings the document back within MIX_CAPS after a client wrote around shared/ops: cuts
 * names and the title to their length (what every peer already reads, see sanitizeIdentity),
 * deletes entries of the tracks and buses maps that are not strips, the strips past the cap in
 * (order, id) order (the ones peers list last), entries no strip holds (unknown keys at any
 * depth, shared types and values past MIX_CAPS.valueLength, see isStrayEntry; in the root
 * and the session too, see MIX_KEYS; items in a map's sequence part, see emptySequence),
 * and send entries naming no bus; then repairs the routing and automation those deletions
 * left dangling. Other top-level types of the document are not the mix's: see
 * docs/decisions.md.
 *
 * Repair rather than refusal: a raw update is often a reconnecting client's whole offline
 * work in one (sync step 2), and refusing it would lose all of it and stop that client
 * reconnecting (44xx); two legitimate concurrent adds at the cap keep every other edit and
 * lose only the strip that sorts last. Like repairMix it is a pure function of the document
 * (peers converge), deletes or shortens only, and writes nothing to a document within the
 * caps.
 *
 * A document of a newer schema (isNewerSchema: an older node in a rolling upgrade) keeps
 * what this node does not know, since a newer node wrote it: unknown keys, shared types where
 * a value goes and points no lane of this version reads stay while MIX_CAPS.foreignBytes
 * lasts (ForeignBudget, charged in key order so nodes agree); every cap above still holds.
 * @returns how many fields and entries it changed.
 */
export function repairCaps(doc: Y.Doc, origin: TransactionOrigin): number {
  let changed = 0;
  doc.transact(() => {
    const budget = isNewerSchema(doc) ? new ForeignBudget() : undefined;
    const root = getMixRoot(doc);
    changed += emptySequence(root);
    for (const [key, value] of budget ? ForeignBudget.inOrder(root.entries()) : [...root.entries()]) {
      if (!isStrayEntry(MIX_KEYS, key, value)) continue;
      if (budget && isForeignEntry(MIX_KEYS, key, value) && budget.take(value)) continue;
      root.delete(key);
      changed += 1;
    }
    const session = getSessionMap(doc);
    if (session) {
      changed += capText(session, 'title', MIX_CAPS.titleLength);
      changed += dropUnknownKeys(session, MIX_KEYS.session!, budget);
    }
    const tracks = getTracksMap(doc);
    const buses = getBusesMap(doc);
    let stripsDropped = 0;
    if (tracks) stripsDropped += dropJunkStrips(tracks, new Map());
    // Ids are unique across tracks and buses; sanitizeMixState drops such a bus already.
    if (buses) stripsDropped += dropJunkStrips(buses, tracks ?? new Map());
    // Which strips sort last needs the whole state read: only done past a cap (a room load
    // or wake of a room within the caps, the usual case, pays no extra read of the doc).
    if ((tracks?.size ?? 0) > MIX_CAPS.tracks || (buses?.size ?? 0) > MIX_CAPS.buses) {
      const state = sanitizeMixState(getMixRoot(doc).toJSON());
      for (const [map, list, cap] of [
        [tracks, state.tracks, MIX_CAPS.tracks],
        [buses, state.buses, MIX_CAPS.buses],
      ] as const) {
        for (const strip of list.slice(cap)) {
          map?.delete(strip.id);
          stripsDropped += 1;
        }
      }
    }
    // After dropJunkStrips every key left is a strip sanitizeMixState reads.
    const busIds = new Set(buses?.keys() ?? []);
    let sendsDropped = 0;
    const master = getMasterMap(doc);
    if (master) changed += dropUnknownKeys(master, STRIP_KEYS.master, budget);
    for (const [strips, keys] of [
      [tracks, STRIP_KEYS.track],
      [buses, STRIP_KEYS.bus],
    ] as const) {
      for (const [, strip] of budget ? ForeignBudget.inOrder(strips?.entries() ?? []) : [...(strips?.entries() ?? [])]) {
        if (!(strip instanceof Y.Map)) continue;
        // The name first: one past its cap is cut to it, not deleted as too long a value.
        changed += capText(strip, 'name', MIX_CAPS.nameLength);
        changed += dropUnknownKeys(strip, keys, budget);
        const sends = strip.get('sends');
        if (!(sends instanceof Y.Map)) continue;
        for (const bus of [...sends.keys()]) {
          if (busIds.has(bus)) continue;
          sends.delete(bus);
          sendsDropped += 1;
        }
      }
    }
    changed += stripsDropped + sendsDropped;
    // Outputs, sidechains and sends aimed at a dropped strip, and the lanes of dropped sends.
    if (stripsDropped + sendsDropped > 0) {
      repairMix(doc, origin);
      if (!budget) repairAutomation(doc, origin);
    }
    // What lanes of this version cannot read is charged last, after every strip's keys.
    if (budget) changed += repairAutomation(doc, origin, undefined, budget);
  }, origin);
  return changed;
}
