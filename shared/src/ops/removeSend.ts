import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { requireStripMap } from './requireMixMaps.ts';

/** Removes the send from a track or group bus to an aux bus (no-op if there is none). */
export function removeSend(doc: Y.Doc, args: { fromId: Id; busId: Id }, origin: unknown): void {
  const { map } = requireStripMap(doc, args.fromId);
  const sends = map.get('sends');
  doc.transact(() => {
    if (sends instanceof Y.Map && sends.has(args.busId)) sends.delete(args.busId);
  }, origin);
}
