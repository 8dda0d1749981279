import { readMixState } from '@mixroom/shared/model';
import type { MixState } from '@mixroom/shared/model';
import {
  approvalOf,
  COMMENTS_PER_ROOM_MAX,
  contentHash,
  deliverableCeilingDb,
  deliverableWarnings,
  diffMixStates,
  listMixChanges,
  readComment,
  readReview,
  REFERENCE_RENDER_FORMAT,
  REPLIES_PER_COMMENT_MAX,
  reviewRoots,
} from '@mixroom/shared/review';
import type {
  Actor,
  ApprovalRecord,
  BakeRecord,
  CommentRecord,
  DeliverableWarning,
  MixChange,
  RenderFormat,
  ReviewSnapshot,
  RoomInfo,
  VersionRecord,
} from '@mixroom/shared/review';
import type { z } from 'zod';
import type { approvalBody, createCommentBody, createReplyBody, createVersionBody, updateCommentBody } from '@mixroom/shared/review';
import { ApiError } from '../http/ApiError.ts';
import type { Member } from '../auth/Member.ts';
import type { Logger } from '../log/Logger.ts';
import type { BakeQueue } from './BakeQueue.ts';
import { downloadFileName } from './downloadFileName.ts';
import type { ReviewDocs } from './ReviewDocs.ts';

/** Makes a short-lived link to a stored render that downloads under `fileName`. */
export type DownloadLink = (key: string, fileName: string, contentType: string, expiresInSeconds: number) => Promise<string>;

export interface ReviewServiceDeps {
  docs: ReviewDocs;
  bakes: BakeQueue;
  downloadLink: DownloadLink;
  now: () => number;
  newId: () => string;
  logger: Logger;
  /** Lifetime of a download link. */
  downloadTtlSeconds?: number;
}

/** A version as listed: the record without its (large) snapshot, plus its bake and approval. */
export type VersionSummary = Omit<VersionRecord, 'state'> & { bake: BakeRecord | null; approval: ApprovalRecord | null };

export interface Download {
  url: string;
  fileName: string;
  format: RenderFormat;
  sha256: string;
  bytes: number;
  expiresAt: number;
  approved: boolean;
  /** This file's problems (clipping, peaks over the ceiling): the room shows them before the download. */
  warnings: DeliverableWarning[];
}

/**
 * Comments, versions, approvals and downloads: every record is written here, by the
 * server, from an authenticated member, into the room's review document. Nothing a client
 * sends decides an author, a time, a hash or an approval.
 */
/**
 * About how many bytes a record built from `input` adds to the review document (its JSON,
 * plus the record's own fields), to refuse it up front when the room is full.
 */
function growthOf(input: unknown): number {
  return Buffer.byteLength(JSON.stringify(input)) + 1024;
}

export function createReviewService(deps: ReviewServiceDeps) {
  const { docs, bakes, now, newId, logger } = deps;
  const ttl = deps.downloadTtlSeconds ?? 300;
  const resumed = new Set<string>();
  const actor = (m: Member): Actor => ({ userId: m.userId, name: m.name, role: m.role });

  /**
   * Bakes left `queued`/`baking` by a previous process (a crash or restart) are queued
   * again the first time this process touches the room.
   */
  const resumeBakes = async (roomId: string): Promise<void> => {
    if (resumed.has(roomId)) return;
    resumed.add(roomId);
    const pending = await docs.withReview(roomId, (doc) => {
      const { bakes: bakeMap, versions } = reviewRoots(doc);
      const out: Array<{ id: string; state: MixState }> = [];
      for (const [id, bake] of bakeMap.entries()) {
        const version = versions.get(id);
        if (version && (bake.status === 'queued' || bake.status === 'baking')) out.push({ id, state: version.state });
      }
      return out;
    });
    for (const { id, state } of pending) {
      if (!(await bakes.has(roomId, id))) {
        logger.info('resuming bake after restart', { roomId, versionId: id });
        await bakes.enqueue(roomId, id, state);
      }
    }
  };

  const read = async (roomId: string): Promise<ReviewSnapshot> => {
    await resumeBakes(roomId);
    return docs.withReview(roomId, (doc) => readReview(doc));
  };

  const writeComment = (roomId: string, id: string, body: unknown, change: (c: CommentRecord) => CommentRecord) =>
    docs.withReview(
      roomId,
      (doc, origin) => {
        const { comments } = reviewRoots(doc);
        const current = comments.get(id);
        if (!current) throw new ApiError('not-found', 'No such comment in this room');
        doc.transact(() => comments.set(id, change(current)), origin);
        return readComment(doc, id)!;
      },
      growthOf(body),
    );

  const summary = (v: VersionRecord, snap: ReviewSnapshot): VersionSummary => {
    const { state: _state, ...rest } = v;
    return { ...rest, bake: snap.bakes.get(v.id) ?? null, approval: approvalOf(snap.approvals, v.id) };
  };

  const versionState = async (roomId: string, id: string): Promise<MixState> => {
    if (id === 'live') return docs.withMix(roomId, (doc) => readMixState(doc));
    const version = await docs.withReview(roomId, (doc) => reviewRoots(doc).versions.get(id));
    if (!version) throw new ApiError('not-found', `No version ${id} in this room`);
    return version.state;
  };

  return {
    /** Writes the room's public header once (title, owner); later calls keep the first. */
    async ensureRoomInfo(info: RoomInfo): Promise<void> {
      await docs.withReview(info.roomId, (doc, origin) => {
        const { room } = reviewRoots(doc);
        if (!room.has('info')) doc.transact(() => room.set('info', info), origin);
      });
    },

    read,

    async listComments(roomId: string): Promise<CommentRecord[]> {
      return (await read(roomId)).comments;
    },

    async addComment(roomId: string, member: Member, body: z.output<typeof createCommentBody>): Promise<CommentRecord> {
      const t = now();
      return docs.withReview(roomId, (doc, origin) => {
        const { comments, versions } = reviewRoots(doc);
        if (comments.size >= COMMENTS_PER_ROOM_MAX) {
          throw new ApiError('limit-reached', `This room holds ${COMMENTS_PER_ROOM_MAX} comments, the most it may: delete resolved ones to make room.`);
        }
        if (body.versionId !== null && !versions.has(body.versionId)) throw new ApiError('bad-request', `versionId: no version ${body.versionId} in this room`);
        const record: CommentRecord = {
          id: newId(),
          at: body.at,
          end: body.end,
          text: body.text,
          author: actor(member),
          createdAt: t,
          updatedAt: t,
          versionId: body.versionId,
          resolved: false,
          resolvedBy: null,
          resolvedAt: null,
          replies: [],
          suggestion: body.suggestion,
        };
        doc.transact(() => comments.set(record.id, record), origin);
        return record;
      }, growthOf(body));
    },

    /** Stored as an entry of its own (see `storedReplySchema`): the comment is not rewritten. */
    addReply(roomId: string, commentId: string, member: Member, body: z.output<typeof createReplyBody>): Promise<CommentRecord> {
      const t = now();
      return docs.withReview(
        roomId,
        (doc, origin) => {
          const { comments, replies } = reviewRoots(doc);
          if (!comments.has(commentId)) throw new ApiError('not-found', 'No such comment in this room');
          const current = () => readComment(doc, commentId)!;
          if (current().replies.length >= REPLIES_PER_COMMENT_MAX) {
            throw new ApiError('limit-reached', `This thread holds ${REPLIES_PER_COMMENT_MAX} replies, the most it may: start a new comment.`);
          }
          const reply = { id: newId(), author: actor(member), createdAt: t, text: body.text };
          doc.transact(() => replies.set(reply.id, { ...reply, commentId }), origin);
          return current();
        },
        growthOf(body),
      );
    },

    updateComment(roomId: string, commentId: string, member: Member, body: z.output<typeof updateCommentBody>): Promise<CommentRecord> {
      const t = now();
      return writeComment(roomId, commentId, body, (c) => {
        if (body.text !== undefined && c.author.userId !== member.userId) {
          throw new ApiError('forbidden', 'Only the author can edit a comment’s text.');
        }
        let next: CommentRecord = { ...c, updatedAt: t };
        if (body.text !== undefined) next = { ...next, text: body.text };
        if (body.resolved !== undefined && body.resolved !== c.resolved) {
          next = body.resolved
            ? { ...next, resolved: true, resolvedBy: actor(member), resolvedAt: t }
            : { ...next, resolved: false, resolvedBy: null, resolvedAt: null };
        }
        return next;
      });
    },

    async deleteComment(roomId: string, commentId: string, member: Member): Promise<void> {
      await docs.withReview(roomId, (doc, origin) => {
        const { comments, replies } = reviewRoots(doc);
        const current = comments.get(commentId);
        if (!current) throw new ApiError('not-found', 'No such comment in this room');
        if (current.author.userId !== member.userId && member.role !== 'owner') {
          throw new ApiError('forbidden', 'Only the author or the room owner can delete a comment.');
        }
        doc.transact(() => {
          comments.delete(commentId);
          for (const [id, reply] of [...replies.entries()]) if (reply.commentId === commentId) replies.delete(id);
        }, origin);
      });
    },

    async listVersions(roomId: string): Promise<VersionSummary[]> {
      const snap = await read(roomId);
      return snap.versions.map((v) => summary(v, snap));
    },

    async getVersion(roomId: string, id: string): Promise<VersionSummary & { state: MixState }> {
      const snap = await read(roomId);
      const version = snap.versions.find((v) => v.id === id);
      if (!version) throw new ApiError('not-found', `No version ${id} in this room`);
      return { ...summary(version, snap), state: version.state };
    },

    /**
     * Snapshots the live mix as an immutable version (hash computed here, from the
     * server's copy of the document) and queues its bake.
     */
    async saveVersion(roomId: string, member: Member, body: z.output<typeof createVersionBody>): Promise<VersionSummary> {
      await resumeBakes(roomId);
      // Refused before anything is written when the room or the server has enough bakes waiting.
      const slot = await bakes.reserve(roomId);
      try {
        const state = await docs.withMix(roomId, (doc) => readMixState(doc));
        const stateHash = contentHash(state);
        const t = now();
        const version = await docs.withReview(roomId, (doc, origin) => {
          const { versions, bakes: bakeMap } = reviewRoots(doc);
          let number = 1;
          for (const v of versions.values()) number = Math.max(number, v.number + 1);
          const record: VersionRecord = { id: newId(), number, name: body.name, note: body.note, createdBy: actor(member), createdAt: t, stateHash, state };
          const bake: BakeRecord = {
            versionId: record.id,
            status: 'queued',
            progress: 0,
            startedAt: null,
            finishedAt: null,
            error: null,
            loudness: null,
            durationSec: null,
            renders: {},
            formats: {},
            ceilingDb: deliverableCeilingDb(state),
            phase: null,
            etaSec: null,
            pending: [],
            mp3Pass: null,
          };
          doc.transact(() => {
            versions.set(record.id, record);
            bakeMap.set(record.id, bake);
          }, origin);
          return record;
        }, growthOf(state));
        await slot.enqueue(version.id, state);
        const { state: _s, ...rest } = version;
        return { ...rest, bake: null, approval: null };
      } finally {
        await slot.release();
      }
    },

    /** Queues a failed or cancelled bake again. */
    async rebake(roomId: string, id: string): Promise<void> {
      const slot = await bakes.reserve(roomId);
      try {
        const state = await docs.withReview(roomId, (doc, origin) => {
          const { versions, bakes: bakeMap } = reviewRoots(doc);
          const version = versions.get(id);
          const bake = bakeMap.get(id);
          if (!version || !bake) throw new ApiError('not-found', `No version ${id} in this room`);
          if (bake.status !== 'failed' && bake.status !== 'cancelled') throw new ApiError('conflict', `This version’s bake is ${bake.status}.`);
          doc.transact(() => bakeMap.set(id, { ...bake, status: 'queued', progress: 0, error: null, startedAt: null, finishedAt: null }), origin);
          return version.state;
        });
        await slot.enqueue(id, state);
      } finally {
        await slot.release();
      }
    },

    cancelBake(roomId: string, id: string): Promise<boolean> {
      return bakes.cancel(roomId, id);
    },

    /** Parameter-level differences from version `a` to `b` (either may be `live`). */
    async diff(roomId: string, a: string, b: string): Promise<{ lines: string[]; changes: MixChange[] }> {
      const [from, to] = await Promise.all([versionState(roomId, a), versionState(roomId, b)]);
      const changes = listMixChanges(from, to);
      return { lines: diffMixStates(from, to), changes };
    },

    /**
     * Appends an approval (or revocation) to the room's history. An approval needs the
     * finished reference render, whose hash it records with the snapshot hash. A version
     * whose files clip or peak over their ceiling is approved only with
     * `acknowledgeWarnings` (the room shows the warnings first), and the record keeps them.
     */
    async approve(roomId: string, versionId: string, member: Member, body: z.output<typeof approvalBody>): Promise<ApprovalRecord> {
      const t = now();
      return docs.withReview(roomId, (doc, origin) => {
        const { versions, bakes: bakeMap, approvals } = reviewRoots(doc);
        const version = versions.get(versionId);
        if (!version) throw new ApiError('not-found', `No version ${versionId} in this room`);
        const bake = bakeMap.get(versionId);
        const render = bake?.renders[REFERENCE_RENDER_FORMAT];
        if (bake?.status !== 'done' || !render) {
          throw new ApiError('conflict', `Version ${version.number} is not baked yet (${bake?.status ?? 'no bake'}); approve it once its render is ready.`);
        }
        const current = approvalOf(approvals.toArray(), versionId);
        if (body.action === 'revoke' && !current) throw new ApiError('conflict', `Version ${version.number} is not approved.`);
        const warnings = body.action === 'approve' ? deliverableWarnings(bake) : [];
        if (warnings.length > 0 && !body.acknowledgeWarnings) {
          throw new ApiError(
            'conflict',
            `Version ${version.number} has deliverable problems: ${warnings.map((w) => w.message).join(' ')} Approve it again acknowledging them to go ahead.`,
          );
        }
        const record: ApprovalRecord = {
          id: newId(),
          action: body.action,
          versionId,
          versionNumber: version.number,
          versionHash: version.stateHash,
          renderFormat: REFERENCE_RENDER_FORMAT,
          renderHash: render.hash,
          by: actor(member),
          at: t,
          note: body.note,
          warnings,
        };
        doc.transact(() => approvals.push([record]), origin);
        return record;
      });
    },

    async listApprovals(roomId: string): Promise<ApprovalRecord[]> {
      return (await read(roomId)).approvals;
    },

    /** A short-lived link to one format of a baked version, named room-version-format. */
    async download(roomId: string, versionId: string, format: RenderFormat): Promise<Download> {
      const snap = await read(roomId);
      const version = snap.versions.find((v) => v.id === versionId);
      if (!version) throw new ApiError('not-found', `No version ${versionId} in this room`);
      const bake = snap.bakes.get(versionId);
      const file = bake?.renders[format];
      if (bake?.status !== 'done' || !file) throw new ApiError('conflict', `Version ${version.number} has no ${format} render yet (${bake?.status ?? 'no bake'}).`);
      const approved = approvalOf(snap.approvals, versionId) !== null;
      const fileName = downloadFileName(snap.room?.title ?? roomId, version, format, approved);
      const url = await deps.downloadLink(file.key, fileName, contentTypeOf(format), ttl);
      const warnings = deliverableWarnings(bake).filter((w) => w.format === format);
      return { url, fileName, format, sha256: file.hash, bytes: file.bytes, expiresAt: now() + ttl * 1000, approved, warnings };
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;

function contentTypeOf(format: RenderFormat): string {
  return format === 'mp3' ? 'audio/mpeg' : format === 'flac' ? 'audio/flac' : 'audio/wav';
}
