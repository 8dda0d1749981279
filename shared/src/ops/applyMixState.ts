import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { MixState } from '../model/MixState.ts';
import { getMixRoot } from '../model/mixDocAccessors.ts';
import { busToDocShape, masterToDocShape, sessionToDocShape, trackToDocShape, type DocShape } from '../model/mixDocShape.ts';
import { CURRENT_SCHEMA_VERSION } from '../model/schemaVersion.ts';
import { syncYMap } from '../model/syncYMap.ts';
import { validateMixState } from '../model/validateMixState.ts';
import { MixOpError } from './MixOpError.ts';

function ensureMap(parent: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const existing = parent.get(key);
  if (existing instanceof Y.Map) return existing as Y.Map<unknown>;
  const map = new Y.Map<unknown>();
  parent.set(key, map);
  return map;
}

function syncCollection(parent: Y.Map<unknown>, shapes: ReadonlyMap<string, DocShape>): void {
  for (const id of Array.from(parent.keys())) if (!shapes.has(id)) parent.delete(id);
  for (const [id, shape] of shapes) syncYMap(ensureMap(parent, id), shape);
}

/**
 * Makes the document equal to `state` (restore a version, apply a comment's snapshot)
 * writing only what differs: unchanged parameters are not rewritten, so a concurrent edit
 * of another parameter by a peer survives and the update stays small. Tracks and buses
 * absent from `state` are removed, missing ones created. The state must pass
 * validateMixState (else MixOpError 'invalid-state' and nothing is written); its
 * schemaVersion is ignored: the document keeps the current layout.
 */
export function applyMixState(doc: Y.Doc, state: MixState, origin: TransactionOrigin): void {
  const result = validateMixState(state);
  if (!result.ok) {
    throw new MixOpError('invalid-state', `This mix snapshot is not valid: ${result.issues.slice(0, 5).join('; ')}`);
  }
  // The validated state: a snapshot from before pan laws comes back with the law it was mixed with.
  const checked = result.state;
  doc.transact(() => {
    const root = getMixRoot(doc);
    syncYMap(ensureMap(root, 'session'), sessionToDocShape({ ...checked.session, schemaVersion: CURRENT_SCHEMA_VERSION }));
    syncCollection(ensureMap(root, 'tracks'), new Map(checked.tracks.map((t) => [t.id, trackToDocShape(t)])));
    syncCollection(ensureMap(root, 'buses'), new Map(checked.buses.map((b) => [b.id, busToDocShape(b)])));
    syncYMap(ensureMap(root, 'master'), masterToDocShape(checked.master));
  }, origin);
}
