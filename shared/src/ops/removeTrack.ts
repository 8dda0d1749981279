import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { requireTrackMap, requireTracksMap } from './requireMixMaps.ts';

/**
 * Removes a track, and clears the sidechains of tracks that listened to it (a peer that
 * sets such a sidechain concurrently is fixed by repairMix). The stem object stays in
 * storage: versions may still reference it.
 */
export function removeTrack(doc: Y.Doc, args: { trackId: Id }, origin: TransactionOrigin): void {
  requireTrackMap(doc, args.trackId);
  const tracks = requireTracksMap(doc);
  doc.transact(() => {
    tracks.delete(args.trackId);
    for (const other of tracks.values()) {
      const comp = other instanceof Y.Map ? other.get('comp') : undefined;
      if (comp instanceof Y.Map && comp.get('sidechain') === args.trackId) comp.set('sidechain', null);
    }
  }, origin);
}
