import type * as Y from 'yjs';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import { commentRecordSchema } from './CommentRecord.ts';
import { reviewRoots } from './ReviewDoc.ts';

/**
 * Migration of a review document written before replies had entries of their own: each
 * comment's inline replies move to the `replies` map (same ids, so running it twice, or on
 * two nodes at once, writes the same values) and the comment is rewritten once without them.
 * What readReview returns does not change. @returns how many comments were rewritten.
 */
export function moveRepliesOut(doc: Y.Doc, origin: TransactionOrigin): number {
  const { comments, replies } = reviewRoots(doc);
  let moved = 0;
  doc.transact(() => {
    for (const [id, value] of [...comments.entries()]) {
      const parsed = commentRecordSchema.safeParse(value);
      if (!parsed.success || parsed.data.replies.length === 0) continue;
      for (const reply of parsed.data.replies) replies.set(reply.id, { ...reply, commentId: id });
      comments.set(id, { ...parsed.data, replies: [] });
      moved += 1;
    }
  }, origin);
  return moved;
}
