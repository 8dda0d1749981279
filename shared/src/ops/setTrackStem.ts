import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Id, StemRef } from '../model/MixState.ts';
import { checkStemRef } from './checkStemRef.ts';
import { requireTrackMap } from './requireMixMaps.ts';

/** Replaces (or clears) the stem a track plays, keeping its whole strip. */
export function setTrackStem(doc: Y.Doc, args: { trackId: Id; stem: StemRef | null }, origin: TransactionOrigin): void {
  const map = requireTrackMap(doc, args.trackId);
  const stem = checkStemRef(args.stem);
  doc.transact(() => map.set('stem', stem), origin);
}
