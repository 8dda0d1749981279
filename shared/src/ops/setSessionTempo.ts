import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import { SESSION_SPEC } from '../model/SessionRecord.ts';
import { coerceParam } from './ParamSpec.ts';
import { requireSessionMap } from './requireMixMaps.ts';

/** Sets the session tempo in BPM (clamped to 20..400), or null when unknown. */
export function setSessionTempo(doc: Y.Doc, args: { tempo: number | null }, origin: TransactionOrigin): void {
  const session = requireSessionMap(doc);
  const tempo = args.tempo === null ? null : coerceParam(SESSION_SPEC.tempo, args.tempo, 'Tempo');
  doc.transact(() => {
    if (session.get('tempo') !== tempo) session.set('tempo', tempo);
  }, origin);
}
