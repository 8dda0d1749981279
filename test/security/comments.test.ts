/**
 * Comment floods against the real product (startMixroom on port 0, sessions from real
 * invites): the per-user-per-room rate (429 with Retry-After), the thread and room caps
 * (409 limit-reached), and what a long thread costs the room's log (replies are entries of
 * their own, so each costs the same bytes however long the thread).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLIES_PER_COMMENT_MAX, type CommentRecord } from '@mixroom/shared/review';
import { connectWithCookie, type HttpUser } from '../integration/reviewHarness.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

const comment = (user: HttpUser, fx: SecurityFixture, text: string, roomApi = fx.api('/comments')) =>
  user.json<{ comment: CommentRecord; error?: { code: string; message: string } }>('POST', roomApi, { at: 1, text });
const reply = (user: HttpUser, fx: SecurityFixture, id: string, text: string) =>
  user.json<{ comment: CommentRecord; error?: { code: string; message: string } }>('POST', fx.api(`/comments/${id}/replies`), { text });

describe('the comment rate, per user and room', () => {
  let fx: SecurityFixture;
  beforeAll(async () => {
    fx = await startSecurityFixture({ env: { RATE_COMMENTS: '5/1m,100/1m' } });
  });
  afterAll(() => fx?.close());

  it('refuses the 6th write in a minute with 429 and Retry-After; other rooms and other people go on', async () => {
    const reviewer = await fx.member('reviewer', 'Rae');
    const first = await comment(reviewer, fx, 'one');
    expect(first.status).toBe(201);
    const id = first.body.comment.id;
    expect((await reply(reviewer, fx, id, 'two')).status).toBe(201);
    expect((await reviewer.json('PATCH', fx.api(`/comments/${id}`), { text: 'one, edited' })).status).toBe(200);
    for (const text of ['four', 'five']) expect((await comment(reviewer, fx, text)).status).toBe(201);
    for (const attempt of [() => comment(reviewer, fx, 'six'), () => reply(reviewer, fx, id, 'six')]) {
      const refused = await attempt();
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatchObject({ code: 'rate-limited', message: expect.stringMatching(/Too many comments and replies .* try again in \d+ s/) });
    }
    const raw = await reviewer.request('POST', fx.api('/comments'), { at: 1, text: 'seven' });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(raw.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Nothing of the refused writes was stored.
    const listed = await fx.owner.json<{ comments: CommentRecord[] }>('GET', fx.api('/comments'));
    expect(listed.body.comments.map((c) => c.text).sort()).toEqual(['five', 'four', 'one, edited']);
    expect(listed.body.comments.find((c) => c.id === id)?.replies.map((r) => r.text)).toEqual(['two']);

    // The owner in the same room, and the same reviewer in another room, are not slowed.
    expect((await comment(fx.owner, fx, 'owner note')).status).toBe(201);
    const other = await fx.owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Other', displayName: 'Olive' });
    const invite = await fx.owner.json<{ token: string }>('POST', `/api/rooms/${other.body.room.roomId}/invites`, { role: 'reviewer', ttlHours: 1 });
    expect((await reviewer.json('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'Rae' })).status).toBe(200);
    expect((await comment(reviewer, fx, 'elsewhere', `/api/rooms/${other.body.room.roomId}/comments`)).status).toBe(201);
  });
});

describe('thread caps and what a reply costs the log', () => {
  let fx: SecurityFixture;
  beforeAll(async () => {
    fx = await startSecurityFixture({ env: { RATE_COMMENTS: '10000/1m,10000/1m', ROOM_HIBERNATE_MS: '0' } });
  });
  afterAll(() => fx?.close());

  it(`each reply costs the log the same bytes; a thread stops at ${REPLIES_PER_COMMENT_MAX} replies with 409`, async () => {
    // A real y-websocket client on the review document receives each write as the update the
    // room log appends (the log holds small appends in memory, so file sizes lag behind).
    const watcher = connectWithCookie(fx.product.url, `${fx.roomId}~review`, fx.owner.cookie);
    try {
      await waitFor('review document synced', () => watcher.provider.synced);
      let received = 0;
      let updates = 0;
      watcher.doc.on('update', (update: Uint8Array) => {
        received += update.byteLength;
        updates += 1;
      });
      const created = await comment(fx.owner, fx, 'x'.repeat(1500));
      const id = created.body.comment.id;
      await waitFor('the comment reached the watcher', () => updates > 0);
      const costs: number[] = [];
      for (let i = 0; i < REPLIES_PER_COMMENT_MAX; i++) {
        const [bytesBefore, updatesBefore] = [received, updates];
        const res = await reply(fx.owner, fx, id, `reply ${i} ${'r'.repeat(100)}`);
        expect(res.status).toBe(201);
        await waitFor(`reply ${i} reached the watcher`, () => updates > updatesBefore);
        costs.push(received - bytesBefore);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const early = mean(costs.slice(0, 20));
      const late = mean(costs.slice(-20));
      console.info(`review update bytes per reply: first 20 ${early.toFixed(0)}, last 20 ${late.toFixed(0)} (a thread of ${REPLIES_PER_COMMENT_MAX})`);
      expect(early).toBeGreaterThan(100);
      // Rewriting the comment with every reply made the 200th cost ~100x the first.
      expect(late).toBeLessThan(1.5 * early);

      const full = await reply(fx.owner, fx, id, 'one too many');
      expect(full.status).toBe(409);
      expect(full.body.error).toMatchObject({ code: 'limit-reached', message: expect.stringContaining(`${REPLIES_PER_COMMENT_MAX} replies`) });
      const listed = await fx.owner.json<{ comments: CommentRecord[] }>('GET', fx.api('/comments'));
      const thread = listed.body.comments.find((c) => c.id === id)!;
      expect(thread.replies).toHaveLength(REPLIES_PER_COMMENT_MAX);
      expect(thread.replies[0]!.text).toMatch(/^reply 0 /);
      expect(thread.replies.at(-1)!.text).toMatch(new RegExp(`^reply ${REPLIES_PER_COMMENT_MAX - 1} `));
      // Deleting the comment deletes its replies: the next comment starts empty.
      expect((await fx.owner.json('DELETE', fx.api(`/comments/${id}`))).status).toBe(204);
      const review = await fx.product.server.services.rooms.withRoom(`${fx.roomId}~review` as never, (doc) => doc.getMap('replies').size);
      expect(review).toBe(0);
    } finally {
      watcher.destroy();
    }
  }, 120_000);
});
