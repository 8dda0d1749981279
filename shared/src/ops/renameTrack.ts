import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { checkName } from './checkName.ts';
import { requireTrackMap } from './requireMixMaps.ts';

/** Renames a track (trimmed, 1..100 characters). */
export function renameTrack(doc: Y.Doc, args: { trackId: Id; name: string }, origin: TransactionOrigin): void {
  const map = requireTrackMap(doc, args.trackId);
  const name = checkName(args.name, 'Track name');
  doc.transact(() => {
    if (map.get('name') !== name) map.set('name', name);
  }, origin);
}
