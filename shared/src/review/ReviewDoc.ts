import * as Y from 'yjs';
import { isValidRoomId } from '../protocol/RoomId.ts';
import type { RoomId } from '../protocol/RoomId.ts';
import { approvalRecordSchema } from './ApprovalRecord.ts';
import type { ApprovalRecord } from './ApprovalRecord.ts';
import { commentRecordSchema, storedReplySchema } from './CommentRecord.ts';
import type { CommentRecord, ReplyRecord, StoredReply } from './CommentRecord.ts';
import { bakeRecordSchema, versionRecordSchema } from './VersionRecord.ts';
import type { BakeRecord, VersionRecord } from './VersionRecord.ts';

/**
 * The review records of a room live in a second Yjs document beside the mix, synced on
 * the same endpoint under the name `<room>~review`. Only the server writes it (the sync
 * server drops every client update to it, whatever the role), so records are
 * authoritative, persisted by the same durable log as the mix, and reach every client in
 * real time. `~` is outside the room id alphabet, so the name can never collide with a room.
 *
 * Layout (all values are plain JSON written whole, never edited in place by clients):
 * - `room`      Y.Map: `info` -> {@link RoomInfo}
 * - `comments`  Y.Map: comment id -> {@link CommentRecord} (its `replies` empty: see `replies`;
 *                older rooms' comments held their replies inline until `moveRepliesOut`)
 * - `replies`   Y.Map: reply id -> {@link StoredReply} (the comment it answers by id)
 * - `versions`  Y.Map: version id -> {@link VersionRecord} (immutable)
 * - `bakes`     Y.Map: version id -> {@link BakeRecord} (progress, loudness, renders)
 * - `approvals` Y.Array of {@link ApprovalRecord} (append-only history)
 */
export const REVIEW_DOC_SUFFIX = '~review';

/** Public facts about a room shown in its header. */
export interface RoomInfo {
  roomId: string;
  title: string;
  ownerName: string | null;
  createdAt: number;
  /** True for an open demo room anyone may join without an invite. */
  open: boolean;
}

/** Name of the review document of `roomId` on the sync endpoint. */
export function reviewDocName(roomId: string): string {
  return roomId + REVIEW_DOC_SUFFIX;
}

/** Which document a sync path segment names: a room's mix or its review records. */
export interface SyncDocTarget {
  roomId: RoomId;
  kind: 'mix' | 'review';
}

/** Parses a sync document name (`demo` or `demo~review`); null when it is neither. */
export function parseSyncDocName(name: string): SyncDocTarget | null {
  const review = name.endsWith(REVIEW_DOC_SUFFIX);
  const roomId = review ? name.slice(0, -REVIEW_DOC_SUFFIX.length) : name;
  return isValidRoomId(roomId) ? { roomId, kind: review ? 'review' : 'mix' } : null;
}

/** Everything in a review document, validated and sorted for display. */
export interface ReviewSnapshot {
  room: RoomInfo | null;
  /** Sorted by timeline position, then creation time. */
  comments: CommentRecord[];
  /** Sorted by version number. */
  versions: VersionRecord[];
  bakes: Map<string, BakeRecord>;
  /** Oldest first. */
  approvals: ApprovalRecord[];
}

/** The root types of a review document. */
export function reviewRoots(doc: Y.Doc) {
  return {
    room: doc.getMap<RoomInfo>('room'),
    comments: doc.getMap<CommentRecord>('comments'),
    replies: doc.getMap<StoredReply>('replies'),
    versions: doc.getMap<VersionRecord>('versions'),
    bakes: doc.getMap<BakeRecord>('bakes'),
    approvals: doc.getArray<ApprovalRecord>('approvals'),
  };
}

/**
 * Reads a review document. Entries that fail validation are skipped rather than thrown:
 * a client must keep working on a document written by a newer or older server.
 */
export function readReview(doc: Y.Doc): ReviewSnapshot {
  const roots = reviewRoots(doc);
  const threads = new Map<string, ReplyRecord[]>();
  for (const value of roots.replies.values()) {
    const parsed = storedReplySchema.safeParse(value);
    if (!parsed.success) continue;
    const { commentId, ...reply } = parsed.data;
    const thread = threads.get(commentId);
    if (thread) thread.push(reply);
    else threads.set(commentId, [reply]);
  }
  const comments: CommentRecord[] = [];
  for (const value of roots.comments.values()) {
    const comment = withThread(value, (id) => threads.get(id) ?? []);
    if (comment) comments.push(comment);
  }
  comments.sort((a, b) => a.at - b.at || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const versions: VersionRecord[] = [];
  for (const value of roots.versions.values()) {
    const parsed = versionRecordSchema.safeParse(value);
    if (parsed.success) versions.push(parsed.data);
  }
  versions.sort((a, b) => a.number - b.number);
  const bakes = new Map<string, BakeRecord>();
  for (const [id, value] of roots.bakes.entries()) {
    const parsed = bakeRecordSchema.safeParse(value);
    if (parsed.success) bakes.set(id, parsed.data);
  }
  const approvals: ApprovalRecord[] = [];
  for (const value of roots.approvals.toArray()) {
    const parsed = approvalRecordSchema.safeParse(value);
    if (parsed.success) approvals.push(parsed.data);
  }
  const info = roots.room.get('info');
  return { room: info ?? null, comments, versions, bakes, approvals };
}

/** One comment with its whole thread (as {@link readReview} has it), or null when there is none. */
export function readComment(doc: Y.Doc, commentId: string): CommentRecord | null {
  const { comments, replies } = reviewRoots(doc);
  return withThread(comments.get(commentId), () => {
    const thread: ReplyRecord[] = [];
    for (const value of replies.values()) {
      if (value?.commentId !== commentId) continue;
      const parsed = storedReplySchema.safeParse(value);
      if (parsed.success) thread.push(stripCommentId(parsed.data));
    }
    return thread;
  });
}

function stripCommentId({ commentId: _c, ...reply }: StoredReply): ReplyRecord {
  return reply;
}

/** A stored comment with the replies stored apart added after its inline ones, oldest first. */
function withThread(value: unknown, threadOf: (commentId: string) => ReplyRecord[]): CommentRecord | null {
  const parsed = commentRecordSchema.safeParse(value);
  if (!parsed.success) return null;
  const comment = parsed.data;
  const stored = threadOf(comment.id);
  if (stored.length === 0) return comment;
  stored.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  // A reply is activity on its comment, as when it rewrote the record.
  return { ...comment, replies: [...comment.replies, ...stored], updatedAt: Math.max(comment.updatedAt, ...stored.map((r) => r.createdAt)) };
}

/**
 * Calls `listener` after every transaction that changes the review document.
 * @returns a disposer that stops listening.
 */
export function observeReview(doc: Y.Doc, listener: () => void): () => void {
  const onUpdate = (): void => listener();
  doc.on('update', onUpdate);
  return () => doc.off('update', onUpdate);
}
