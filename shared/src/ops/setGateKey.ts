import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { MixOpError } from './MixOpError.ts';
import { requireTrackMap } from './requireMixMaps.ts';

/**
 * Sets which track opens a track's gate (null: the track itself), e.g. the snare's top mic
 * keying the bottom mic. The key is tapped before the key track's own gate, so two gates
 * keying each other never form a cycle.
 */
export function setGateKey(doc: Y.Doc, args: { trackId: Id; source: Id | null }, origin: TransactionOrigin): void {
  const map = requireTrackMap(doc, args.trackId);
  if (args.source !== null) {
    requireTrackMap(doc, args.source);
    if (args.source === args.trackId) throw new MixOpError('invalid-target', 'A gate cannot be keyed by its own track: choose another track or none');
  }
  doc.transact(() => {
    let gate = map.get('gate');
    // Migrated documents have the section; recreate it only in a damaged one.
    if (!(gate instanceof Y.Map)) map.set('gate', (gate = new Y.Map<unknown>()));
    const section = gate as Y.Map<unknown>;
    if (section.get('sidechain') !== args.source) section.set('sidechain', args.source);
  }, origin);
}
