import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { requireTrackMap, requireTracksMap } from './requireMixMaps.ts';

/**
 * Removes a track, and clears the sidechains (compressor and gate keys) of tracks that listened to it (a peer that
 * sets such a sidechain concurrently is fixed by repairMix). The stem object stays in
 * storage: versions may still reference it.
 */
export function removeTrack(doc: Y.Doc, args: { trackId: Id }, origin: TransactionOrigin): void {
  requireTrackMap(doc, args.trackId);
  const tracks = requireTracksMap(doc);
  doc.transact(() => {
    tracks.delete(args.trackId);
    for (const other of tracks.values()) {
      if (!(other instanceof Y.Map)) continue;
      for (const section of ['comp', 'gate']) {
        const keyed = other.get(section);
        if (keyed instanceof Y.Map && keyed.get('sidechain') === args.trackId) keyed.set('sidechain', null);
      }
    }
  }, origin);
}
