import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import type { CommentRecord } from './CommentRecord.ts';
import { moveRepliesOut } from './moveRepliesOut.ts';
import { readComment, readReview, reviewRoots } from './ReviewDoc.ts';

const origin = createOrigin('server', 'migrate');
const author = { userId: 'u1', name: 'Olive', role: 'owner' as const };

function legacyComment(id: string, replies: number): CommentRecord {
  return {
    id,
    at: 1,
    end: null,
    text: `comment ${id}`,
    author,
    createdAt: 10,
    updatedAt: 10 + replies,
    versionId: null,
    resolved: false,
    resolvedBy: null,
    resolvedAt: null,
    replies: Array.from({ length: replies }, (_, i) => ({ id: `${id}-r${i}`, author, createdAt: 11 + i, text: `reply ${i}` })),
    suggestion: null,
  };
}

describe('moveRepliesOut', () => {
  it('moves inline replies to entries of their own once; what readers see does not change', () => {
    const doc = new Y.Doc();
    const { comments } = reviewRoots(doc);
    for (const [id, n] of [['a', 3], ['b', 0], ['c', 1]] as const) comments.set(id, legacyComment(id, n));
    const before = readReview(doc).comments;
    expect(moveRepliesOut(doc, origin)).toBe(2);
    expect(readReview(doc).comments).toEqual(before);
    expect(readComment(doc, 'a')).toEqual(before.find((c) => c.id === 'a'));
    expect([...comments.values()].every((c) => c.replies.length === 0)).toBe(true);
    expect(reviewRoots(doc).replies.size).toBe(4);
    // Again (another node, the next wake): nothing to do, no update.
    let updates = 0;
    doc.on('update', () => (updates += 1));
    expect(moveRepliesOut(doc, origin)).toBe(0);
    expect(updates).toBe(0);
  });

  it('reads a thread stored half inline, half apart (a reply added before the migration ran) in order', () => {
    const doc = new Y.Doc();
    const { comments, replies } = reviewRoots(doc);
    comments.set('a', legacyComment('a', 2));
    replies.set('late', { id: 'late', commentId: 'a', author, createdAt: 99, text: 'late reply' });
    replies.set('junk', { id: 'junk', commentId: 'a', author, createdAt: Number.NaN as never, text: 5 as never });
    const thread = readComment(doc, 'a')!;
    expect(thread.replies.map((r) => r.id)).toEqual(['a-r0', 'a-r1', 'late']);
    expect(thread.updatedAt).toBe(99);
    expect(readReview(doc).comments[0]).toEqual(thread);
  });
});
