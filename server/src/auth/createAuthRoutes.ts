import { Hono } from 'hono';
import type { Context } from 'hono';
import { createInviteBody, createRoomBody, joinBody, joinOpenRoomBody } from '@mixroom/shared/review';
import { ApiError } from './ApiError.ts';
import type { Auth } from './createAuth.ts';
import type { InviteRecord, RoomRecord } from './AuthStore.ts';
import { parseBody } from './parseBody.ts';
import { renderJoinPage } from './renderJoinPage.ts';
import { requireMember } from './requireMember.ts';

export interface AuthRoutesOptions {
  /** Called after a room is created (the review service writes its public header). */
  onRoomCreated?: (room: RoomRecord) => Promise<void> | void;
  /** Called after someone joins an open (demo) room. */
  onOpenRoomJoined?: (roomId: string) => Promise<void> | void;
}

/**
 * Rooms, invites and joining.
 *
 * - `POST /api/rooms` {title, displayName} -> 201 {room, member}; the caller becomes owner.
 * - `GET /api/rooms/:room/me` -> {roomId, member, open} for the session, 401 when not a member.
 * - `POST /api/rooms/:room/join` {displayName, role} -> join an open (demo) room.
 * - `POST /api/rooms/:room/invites` {role, ttlHours} (owner) -> 201 {invite, token, url}.
 * - `GET /api/rooms/:room/invites` (owner) -> {invites}.
 * - `DELETE /api/rooms/:room/invites/:invite` (owner) -> revoke.
 * - `GET /api/invites/:token` -> {roomId, roomTitle, role, expiresAt} or 403/410 with the reason.
 * - `POST /api/invites/:token/join` {displayName} -> {roomId, member} and the session cookie.
 * - `GET /join/:token` -> HTML page asking a display name, or a clear refusal page.
 * - `POST /join/:token` (form) -> cookie + 303 to `/room/:room`, or the page with the error.
 */
export function createAuthRoutes(auth: Auth, options: AuthRoutesOptions = {}) {
  const inviteView = (invite: InviteRecord, now: number) => ({
    inviteId: invite.inviteId,
    role: invite.role,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    revokedAt: invite.revokedAt,
    status: invite.revokedAt !== null ? 'revoked' : invite.expiresAt <= now ? 'expired' : 'active',
  });
  const refusalStatus = (reason: 'invalid' | 'expired' | 'revoked') => (reason === 'invalid' ? 403 : 410);
  const refusalCode = (reason: 'invalid' | 'expired' | 'revoked') =>
    reason === 'invalid' ? 'invite_invalid' : reason === 'expired' ? 'invite_expired' : 'invite_revoked';
  const refusalTitle = { invalid: 'This invite link is not valid', expired: 'This invite link has expired', revoked: 'This invite link was revoked' } as const;

  const joinForm = (c: Context, token: string, name: string, error: string | null, status: 200 | 400 | 403) => {
    const check = auth.checkInvite(token);
    if (!check.ok) return c.html(renderJoinPage({ kind: 'refused', title: refusalTitle[check.reason], message: check.message }), refusalStatus(check.reason));
    const action = `/join/${encodeURIComponent(token)}`;
    const form = auth.forms.issue(c.req.raw);
    if (form.setCookie) c.header('set-cookie', form.setCookie, { append: true });
    return c.html(renderJoinPage({ kind: 'form', roomTitle: check.roomTitle, role: check.invite.role, action, name, error, formToken: form.token }), status);
  };

  return new Hono()
    .post('/api/rooms', async (c) => {
      const body = await parseBody(c, createRoomBody);
      const { room, session } = await auth.createRoom(body.title, body.displayName, auth.readSession(c.req.raw));
      await options.onRoomCreated?.(room);
      c.header('set-cookie', auth.sessionCookie(session), { append: true });
      return c.json({ room: { roomId: room.roomId, title: room.title, createdAt: room.createdAt }, member: { userId: session.userId, name: session.name, role: 'owner' as const } }, 201);
    })
    .get('/api/rooms/:room/me', requireMember(auth), (c) =>
      c.json({ roomId: c.var.roomId, member: c.var.member, open: auth.isOpenRoom(c.var.roomId) }),
    )
    .post('/api/rooms/:room/join', async (c) => {
      const roomId = c.req.param('room');
      if (!auth.isOpenRoom(roomId)) throw new ApiError(403, 'forbidden', 'This room is invite-only. Ask its owner for an invite link.');
      const body = await parseBody(c, joinOpenRoomBody);
      const session = auth.joinOpenRoom(roomId, body.displayName, body.role, auth.readSession(c.req.raw));
      await options.onOpenRoomJoined?.(roomId);
      c.header('set-cookie', auth.sessionCookie(session), { append: true });
      return c.json({ roomId, member: { userId: session.userId, name: session.name, role: body.role } });
    })
    .post('/api/rooms/:room/invites', requireMember(auth, 'invite'), async (c) => {
      const body = await parseBody(c, createInviteBody);
      const { invite, token } = await auth.createInvite(c.var.roomId, c.var.member, body.role, body.ttlHours * 3600_000);
      const url = new URL(`/join/${token}`, c.req.url).toString();
      return c.json({ invite: inviteView(invite, Date.now()), token, url }, 201);
    })
    .get('/api/rooms/:room/invites', requireMember(auth, 'invite'), (c) =>
      c.json({ invites: auth.listInvites(c.var.roomId).map((i) => inviteView(i, Date.now())) }),
    )
    .delete('/api/rooms/:room/invites/:invite', requireMember(auth, 'invite'), async (c) => {
      const revoked = await auth.revokeInvite(c.var.roomId, c.req.param('invite'), c.var.member);
      if (!revoked) throw new ApiError(404, 'not_found', 'No active invite with that id in this room');
      return c.json({ revoked: true });
    })
    .get('/api/invites/:token', (c) => {
      const check = auth.checkInvite(c.req.param('token'));
      if (!check.ok) throw new ApiError(refusalStatus(check.reason), refusalCode(check.reason), check.message);
      return c.json({ roomId: check.invite.roomId, roomTitle: check.roomTitle, role: check.invite.role, expiresAt: check.invite.expiresAt });
    })
    .post('/api/invites/:token/join', async (c) => {
      const body = await parseBody(c, joinBody);
      const result = auth.join(c.req.param('token'), body.displayName, auth.readSession(c.req.raw));
      if (!result.ok) throw new ApiError(refusalStatus(result.reason), refusalCode(result.reason), result.message);
      c.header('set-cookie', auth.sessionCookie(result.session), { append: true });
      const role = result.session.grants[result.invite.roomId]?.role ?? result.invite.role;
      return c.json({ roomId: result.invite.roomId, member: { userId: result.session.userId, name: result.session.name, role } });
    })
    .get('/join/:token', (c) => joinForm(c, c.req.param('token'), auth.readSession(c.req.raw)?.name ?? '', null, 200))
    .post('/join/:token', async (c) => {
      const token = c.req.param('token');
      const form = Object.fromEntries(new URLSearchParams(await c.req.text().catch(() => '')));
      // The page's hidden token proves the post came from the form we served to this visitor.
      if (!auth.forms.verify(c.req.raw, String(form.formToken ?? ''))) {
        return joinForm(c, token, String(form.displayName ?? ''), 'This form expired or was not sent from this page. Please press Join again.', 403);
      }
      const parsed = joinBody.safeParse(form);
      if (!parsed.success) return joinForm(c, token, String(form.displayName ?? ''), parsed.error.issues[0]?.message ?? 'Enter a display name', 400);
      const result = auth.join(token, parsed.data.displayName, auth.readSession(c.req.raw));
      if (!result.ok) return joinForm(c, token, parsed.data.displayName, null, 200);
      c.header('set-cookie', auth.sessionCookie(result.session), { append: true });
      return c.redirect(`/room/${encodeURIComponent(result.invite.roomId)}`, 303);
    });
}

export type AuthRoutes = ReturnType<typeof createAuthRoutes>;
