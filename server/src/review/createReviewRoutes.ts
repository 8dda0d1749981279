import { Hono } from 'hono';
import {
  approvalBody,
  createCommentBody,
  createReplyBody,
  createVersionBody,
  isRenderFormat,
  RENDER_FORMATS,
  updateCommentBody,
} from '@mixroom/shared/review';
import { ApiError } from '../http/ApiError.ts';
import type { Auth } from '../auth/createAuth.ts';
import { jsonBody } from '../http/jsonBody.ts';
import { requireMember } from '../auth/requireMember.ts';
import type { RateLimits } from '../limits/createRateLimits.ts';
import type { ReviewService } from './createReviewService.ts';

/**
 * The review API, mounted at `/api/rooms/:room` (every route resolves the caller's role in
 * `:room` first; see `requireMember`):
 *
 * - `GET    /review`                          read   -> whole review snapshot (what the review doc holds)
 * - `GET    /comments`                        read   -> {comments}
 * - `POST   /comments`                        comment -> 201 {comment}
 * - `POST   /comments/:id/replies`            comment -> 201 {comment}
 * - `PATCH  /comments/:id` {resolved?, text?} comment (text: author only) -> {comment}
 * - `DELETE /comments/:id`                    comment (author or owner) -> 204
 * - `GET    /versions`                        read   -> {versions} (no snapshots)
 * - `POST   /versions` {name, note}           saveVersion -> 201 {version}; bake queued
 * - `GET    /versions/:id`                    read   -> {version} with its snapshot
 * - `POST   /versions/:id/bake`               saveVersion -> 202, re-queue a failed bake
 * - `DELETE /versions/:id/bake`               saveVersion -> cancel a running bake
 * - `GET    /versions/:a/diff/:b`             read   -> {lines, changes} (`live` = current mix)
 * - `GET    /approvals`                       read   -> {approvals} (history, oldest first)
 * - `POST   /versions/:id/approvals` {action, note} approve -> 201 {approval}
 * - `GET    /versions/:id/download/:format`   read   -> 302 to a short-lived link
 *                                                      (JSON {download} with `Accept: application/json`;
 *                                                      its `url` is absolute, on PUBLIC_URL)
 */
/** The rate-limit key of one user's comment writes in one room (a busy room does not slow another). */
const perRoom = (userId: string, roomId: string) => `${userId}@${roomId}`;

export function createReviewRoutes(auth: Auth, review: ReviewService, options: { publicUrl: () => string; limits?: RateLimits }) {
  const { limits } = options;
  const member = requireMember(auth);
  return new Hono()
    .get('/review', member, async (c) => {
      const snap = await review.read(c.var.roomId);
      return c.json({ ...snap, versions: snap.versions.map(({ state: _s, ...v }) => v), bakes: Object.fromEntries(snap.bakes) });
    })
    .get('/comments', member, async (c) => c.json({ comments: await review.listComments(c.var.roomId) }))
    .post('/comments', requireMember(auth, 'comment'), jsonBody(createCommentBody), async (c) => {
      const body = c.req.valid('json');
      await limits?.take('comment', c, perRoom(c.var.member.userId, c.var.roomId));
      return c.json({ comment: await review.addComment(c.var.roomId, c.var.member, body) }, 201);
    })
    .post('/comments/:id/replies', requireMember(auth, 'comment'), jsonBody(createReplyBody), async (c) => {
      const body = c.req.valid('json');
      await limits?.take('comment', c, perRoom(c.var.member.userId, c.var.roomId));
      return c.json({ comment: await review.addReply(c.var.roomId, c.req.param('id'), c.var.member, body) }, 201);
    })
    .patch('/comments/:id', requireMember(auth, 'comment'), jsonBody(updateCommentBody), async (c) => {
      const body = c.req.valid('json');
      await limits?.take('comment', c, perRoom(c.var.member.userId, c.var.roomId));
      return c.json({ comment: await review.updateComment(c.var.roomId, c.req.param('id'), c.var.member, body) });
    })
    .delete('/comments/:id', requireMember(auth, 'comment'), async (c) => {
      await review.deleteComment(c.var.roomId, c.req.param('id'), c.var.member);
      return c.body(null, 204);
    })
    .get('/versions', member, async (c) => c.json({ versions: await review.listVersions(c.var.roomId) }))
    .post('/versions', requireMember(auth, 'saveVersion'), jsonBody(createVersionBody), async (c) => {
      const body = c.req.valid('json');
      await limits?.take('bake', c, c.var.member.userId);
      return c.json({ version: await review.saveVersion(c.var.roomId, c.var.member, body) }, 201);
    })
    .get('/versions/:id', member, async (c) => c.json({ version: await review.getVersion(c.var.roomId, c.req.param('id')) }))
    .post('/versions/:id/bake', requireMember(auth, 'saveVersion'), async (c) => {
      await limits?.take('bake', c, c.var.member.userId);
      await review.rebake(c.var.roomId, c.req.param('id'));
      return c.json({ queued: true }, 202);
    })
    .delete('/versions/:id/bake', requireMember(auth, 'saveVersion'), async (c) => {
      if (!(await review.cancelBake(c.var.roomId, c.req.param('id')))) throw new ApiError('conflict', 'That version is not baking.');
      return c.json({ cancelled: true });
    })
    .get('/versions/:a/diff/:b', member, async (c) => c.json(await review.diff(c.var.roomId, c.req.param('a'), c.req.param('b'))))
    .get('/approvals', member, async (c) => c.json({ approvals: await review.listApprovals(c.var.roomId) }))
    .post('/versions/:id/approvals', requireMember(auth, 'approve'), jsonBody(approvalBody), async (c) => {
      const body = c.req.valid('json');
      return c.json({ approval: await review.approve(c.var.roomId, c.req.param('id'), c.var.member, body) }, 201);
    })
    .get('/versions/:id/download/:format', member, async (c) => {
      const format = c.req.param('format');
      if (!isRenderFormat(format)) throw new ApiError('bad-request', `format must be one of ${RENDER_FORMATS.join(', ')}`);
      const download = await review.download(c.var.roomId, c.req.param('id'), format);
      c.header('cache-control', 'no-store');
      // The redirect keeps the browser on the origin it used; the JSON link is for use
      // elsewhere, so it is absolute, on the public URL (never the Host header).
      if ((c.req.header('accept') ?? '').includes('application/json')) return c.json({ download: { ...download, url: new URL(download.url, options.publicUrl()).href } });
      return c.redirect(download.url, 302);
    });
}

export type ReviewRoutes = ReturnType<typeof createReviewRoutes>;
