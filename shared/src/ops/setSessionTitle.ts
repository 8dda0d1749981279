import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import { MAX_TITLE_LENGTH } from '../model/mixRanges.ts';
import { checkName } from './checkName.ts';
import { requireSessionMap } from './requireMixMaps.ts';

/** Renames the session (trimmed, 1..200 characters). */
export function setSessionTitle(doc: Y.Doc, args: { title: string }, origin: TransactionOrigin): void {
  const session = requireSessionMap(doc);
  const title = checkName(args.title, 'Session title', MAX_TITLE_LENGTH);
  doc.transact(() => {
    if (session.get('title') !== title) session.set('title', title);
  }, origin);
}
