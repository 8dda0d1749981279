import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { MixOpError } from './MixOpError.ts';
import { requireTrackMap } from './requireMixMaps.ts';

/** Sets which track drives a track's compressor detector (null: the track itself). */
export function setSidechain(doc: Y.Doc, args: { trackId: Id; source: Id | null }, origin: TransactionOrigin): void {
  const map = requireTrackMap(doc, args.trackId);
  if (args.source !== null) {
    requireTrackMap(doc, args.source);
    if (args.source === args.trackId) throw new MixOpError('invalid-target', 'A track cannot sidechain itself: choose another track or none');
  }
  const comp = map.get('comp') as Y.Map<unknown> | undefined;
  if (!comp) throw new MixOpError('invalid-state', `Track ${args.trackId} has no compressor section`);
  doc.transact(() => {
    if (comp.get('sidechain') !== args.source) comp.set('sidechain', args.source);
  }, origin);
}
