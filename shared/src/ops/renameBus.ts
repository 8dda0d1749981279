import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { checkName } from './checkName.ts';
import { requireBusMap } from './requireMixMaps.ts';

/** Renames a bus (trimmed, 1..100 characters). */
export function renameBus(doc: Y.Doc, args: { busId: Id; name: string }, origin: TransactionOrigin): void {
  const map = requireBusMap(doc, args.busId);
  const name = checkName(args.name, 'Bus name');
  doc.transact(() => {
    if (map.get('name') !== name) map.set('name', name);
  }, origin);
}
