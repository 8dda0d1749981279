import type * as Y from 'yjs';
import { reviewDocName } from '@mixroom/shared/review';
import type { RoomId, TransactionOrigin } from '@mixroom/shared/protocol';
import type { RoomRegistry } from '../sync/RoomRegistry.ts';

/**
 * The two documents of a room as the review module sees them: the live mix (read for
 * snapshots) and the review records (written only here). Resolves after a write is
 * durable and relayed, like any change the sync server persists.
 */
export interface ReviewDocs {
  withMix<T>(roomId: string, fn: (doc: Y.Doc, origin: TransactionOrigin) => T): Promise<T>;
  withReview<T>(roomId: string, fn: (doc: Y.Doc, origin: TransactionOrigin) => T): Promise<T>;
}

/** {@link ReviewDocs} over the sync server's room registry (`<room>` and `<room>~review`). */
export function createReviewDocs(rooms: Pick<RoomRegistry, 'withRoom'>): ReviewDocs {
  return {
    withMix: (roomId, fn) => rooms.withRoom(roomId as RoomId, fn, { actor: 'review' }),
    withReview: (roomId, fn) => rooms.withRoom(reviewDocName(roomId) as RoomId, fn, { actor: 'review' }),
  };
}
