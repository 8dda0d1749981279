import type * as Y from 'yjs';
import { reviewDocName } from '@mixroom/shared/review';
import type { RoomId, TransactionOrigin } from '@mixroom/shared/protocol';
import { ApiError } from '../http/ApiError.ts';
import { RoomFullError } from '../sync/Room.ts';
import type { RoomDocs } from '../sync/RoomDocs.ts';

/**
 * The two documents of a room as the review module sees them: the live mix (read for
 * snapshots) and the review records (written only here). Resolves after a write is
 * durable and relayed, like any change the sync server persists.
 */
export interface ReviewDocs {
  withMix<T>(roomId: string, fn: (doc: Y.Doc, origin: TransactionOrigin) => T): Promise<T>;
  /**
   * `grows`: about how many bytes the write adds. When the review document has no space for
   * them, `fn` does not run and the write is refused with `room-full` (413).
   */
  withReview<T>(roomId: string, fn: (doc: Y.Doc, origin: TransactionOrigin) => T, grows?: number): Promise<T>;
}

/** {@link ReviewDocs} over the sync server's rooms (`<room>` and `<room>~review`), in this process or a shard. */
export function createReviewDocs(rooms: Pick<RoomDocs, 'withRoom'>): ReviewDocs {
  return {
    withMix: (roomId, fn) => rooms.withRoom(roomId as RoomId, fn, { actor: 'review' }),
    withReview: async (roomId, fn, grows) => {
      try {
        return await rooms.withRoom(reviewDocName(roomId) as RoomId, fn, { actor: 'review', ...(grows !== undefined ? { grows } : {}) });
      } catch (error) {
        if (!(error instanceof RoomFullError)) throw error;
        const mib = Number((error.maxRoomBytes / 2 ** 20).toFixed(1));
        throw new ApiError('room-full', `This room has reached its size limit (${mib} MiB) for comments and versions: delete old comments to make room.`);
      }
    },
  };
}
