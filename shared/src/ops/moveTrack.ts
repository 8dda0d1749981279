import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { checkIndex, moveStrip } from './moveStrip.ts';
import { requireTrackMap, requireTracksMap } from './requireMixMaps.ts';

/** Moves a track to position `toIndex` (0 = first) in the track list. */
export function moveTrack(doc: Y.Doc, args: { trackId: Id; toIndex: number }, origin: TransactionOrigin): void {
  requireTrackMap(doc, args.trackId);
  const tracks = requireTracksMap(doc);
  const toIndex = checkIndex(args.toIndex);
  doc.transact(() => moveStrip(tracks, args.trackId, toIndex), origin);
}
