import { Hono } from 'hono';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { createInviteBody, createRoomBody, joinBody, joinOpenRoomBody, memberRoleBody, type InviteView } from '@mixroom/shared/review';
import { isValidRoomId } from '@mixroom/shared/protocol';
import type { RateLimits } from '../limits/createRateLimits.ts';
import { ApiError } from '../http/ApiError.ts';
import type { Auth } from './createAuth.ts';
import type { InviteRecord, RoomRecord } from './AuthStore.ts';
import { jsonBody } from '../http/jsonBody.ts';
import { JOIN_PAGE_CSP, renderJoinPage } from './renderJoinPage.ts';
import { requireMember } from './requireMember.ts';

export interface AuthRoutesOptions {
  /** The app's public origin (PUBLIC_URL): invite links are built on it, never on the Host header. */
  publicUrl: () => string;
  /** Called after a room is created (the review service writes its public header). */
  onRoomCreated?: (room: RoomRecord) => Promise<void> | void;
  /** Called after someone joins an open (demo) room. */
  onOpenRoomJoined?: (roomId: string) => Promise<void> | void;
  /** Rate limits on room creation and joins (none when absent). */
  limits?: RateLimits;
}

/**
 * Rooms, invites and joining.
 *
 * - `POST /api/rooms` {title, displayName} -> 201 {room, member}; the caller becomes owner.
 * - `GET /api/rooms/:room/me` -> {roomId, member, open} for the session, 401 when not a member.
 * - `GET /api/rooms/:room/access` -> {roomId, member | null, open, title | null}: what the app asks
 *   on load, so a first visit is not a failed request; the title only to members and open rooms.
 * - `POST /api/rooms/:room/join` {displayName, role} -> join an open (demo) room.
 * - `POST /api/rooms/:room/invites` {role, ttlHours} (owner) -> 201 {invite, token, url}.
 * - `GET /api/rooms/:room/invites` (owner) -> {invites}.
 * - `DELETE /api/rooms/:room/invites/:invite` (owner) -> revoke.
 * - `GET /api/rooms/:room/members` (owner) -> {members}; `PATCH .../members/:user` {role};
 *   `DELETE .../members/:user`: role changes and removals reach open sockets at once.
 * - `GET /api/sessions` -> the caller's signed-in browsers; `DELETE /api/sessions/:id` signs
 *   one out (`current` = this one, and clears the cookie).
 * - `GET /api/invites/:token` -> {roomId, roomTitle, role, expiresAt} or 403/410 with the reason.
 * - `POST /api/invites/:token/join` {displayName} -> {roomId, member} and the session cookie.
 * - `GET /join/:token` -> HTML page asking a display name, or a clear refusal page.
 * - `POST /join/:token` (form) -> cookie + 303 to `/room/:room`, or the page with the error.
 */
export function createAuthRoutes(auth: Auth, options: AuthRoutesOptions) {
  /** Counts the request; returns a function that also counts it against a user it signed in. */
  const take = async (action: 'createRoom' | 'join', c: Context) => {
    const userId = (await auth.readSession(c.req.raw))?.userId ?? null;
    await options.limits?.take(action, c, userId);
    return async (signedIn: string) => {
      if (userId === null) await options.limits?.charge(action, signedIn);
    };
  };
  /** Names of the people who used single-use links, read once per listing. */
  const userNames = async (roomId: string): Promise<Map<string, string>> => new Map((await auth.listMembers(roomId)).map((m) => [m.userId, m.name]));
  const inviteView = (invite: InviteRecord, now: number, names: Map<string, string>): InviteView => ({
    inviteId: invite.inviteId,
    role: invite.role,
    uses: invite.uses,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    revokedAt: invite.revokedAt,
    usedBy: invite.usedBy === null ? null : (names.get(invite.usedBy) ?? 'someone'),
    status: invite.revokedAt !== null ? 'revoked' : invite.expiresAt <= now ? 'expired' : invite.usedBy !== null ? 'used' : 'active',
  });
  type Reason = 'invalid' | 'expired' | 'revoked' | 'used';
  const refusalStatus = (reason: Reason) => (reason === 'invalid' ? 403 : 410);
  const refusalCode = (reason: Reason) =>
    reason === 'invalid' ? 'invite-invalid' : reason === 'expired' ? 'invite-expired' : reason === 'used' ? 'invite-used' : 'invite-revoked';
  const refusalTitle = {
    invalid: 'This invite link is not valid',
    expired: 'This invite link has expired',
    revoked: 'This invite link was revoked',
    used: 'This invite link was already used',
  } as const;

  const joinForm = async (c: Context, token: string, name: string, error: string | null, status: 200 | 400 | 403 | 429) => {
    c.header('content-security-policy', JOIN_PAGE_CSP);
    const check = await auth.checkInvite(token, c.req.raw);
    if (!check.ok) return c.html(renderJoinPage({ kind: 'refused', title: refusalTitle[check.reason], message: check.message }), refusalStatus(check.reason));
    const action = `/join/${encodeURIComponent(token)}`;
    const form = auth.forms.issue(c.req.raw);
    if (form.setCookie) c.header('set-cookie', form.setCookie, { append: true });
    return c.html(renderJoinPage({ kind: 'form', roomTitle: check.roomTitle, role: check.invite.role, action, name, error, formToken: form.token }), status);
  };

  // Before the body is read: a closed room refuses whatever was sent.
  const openRoomOnly = createMiddleware(async (c, next) => {
    if (!auth.isOpenRoom(c.req.param('room') ?? '')) throw new ApiError('forbidden', 'This room is invite-only. Ask its owner for an invite link.');
    await next();
  });

  return new Hono()
    .post('/api/rooms', jsonBody(createRoomBody), async (c) => {
      const body = c.req.valid('json');
      const charge = await take('createRoom', c);
      const { room, session, setCookie } = await auth.createRoom(body.title, body.displayName, c.req.raw);
      await charge(session.userId);
      await options.onRoomCreated?.(room);
      c.header('set-cookie', setCookie, { append: true });
      return c.json({ room: { roomId: room.roomId, title: room.title, createdAt: room.createdAt }, member: { userId: session.userId, name: session.name, role: 'owner' as const } }, 201);
    })
    .get('/api/rooms/:room/me', requireMember(auth), (c) =>
      c.json({ roomId: c.var.roomId, member: c.var.member, open: auth.isOpenRoom(c.var.roomId) }),
    )
    .get('/api/rooms/:room/access', async (c) => {
      const roomId = c.req.param('room');
      if (!isValidRoomId(roomId)) throw new ApiError('not-found', 'No such room');
      const member = await auth.authorize(c.req.raw, roomId);
      const open = auth.isOpenRoom(roomId);
      const title = member || open ? ((await auth.getRoom(roomId))?.title ?? null) : null;
      c.header('cache-control', 'no-store');
      return c.json({ roomId, member, open, title });
    })
    .post('/api/rooms/:room/join', openRoomOnly, jsonBody(joinOpenRoomBody), async (c) => {
      const roomId = c.req.param('room');
      const body = c.req.valid('json');
      const charge = await take('join', c);
      const { session, setCookie } = await auth.joinOpenRoom(roomId, body.displayName, body.role, c.req.raw);
      await charge(session.userId);
      await options.onOpenRoomJoined?.(roomId);
      c.header('set-cookie', setCookie, { append: true });
      return c.json({ roomId, member: { userId: session.userId, name: session.name, role: body.role } });
    })
    .post('/api/rooms/:room/invites', requireMember(auth, 'invite'), jsonBody(createInviteBody), async (c) => {
      const body = c.req.valid('json');
      const { invite, token } = await auth.createInvite(c.var.roomId, c.var.member, body.role, body.ttlHours * 3600_000, body.uses);
      const url = new URL(`/join/${token}`, options.publicUrl()).toString();
      return c.json({ invite: inviteView(invite, Date.now(), new Map()), token, url }, 201);
    })
    .get('/api/rooms/:room/invites', requireMember(auth, 'invite'), async (c) => {
      const [invites, names] = await Promise.all([auth.listInvites(c.var.roomId), userNames(c.var.roomId)]);
      return c.json({ invites: invites.map((i) => inviteView(i, Date.now(), names)) });
    })
    .delete('/api/rooms/:room/invites/:invite', requireMember(auth, 'invite'), async (c) => {
      const revoked = await auth.revokeInvite(c.var.roomId, c.req.param('invite'), c.var.member);
      if (!revoked) throw new ApiError('not-found', 'No active invite with that id in this room');
      return c.json({ revoked: true });
    })
    .get('/api/rooms/:room/members', requireMember(auth, 'invite'), async (c) => c.json({ members: await auth.listMembers(c.var.roomId) }))
    .patch('/api/rooms/:room/members/:user', requireMember(auth, 'invite'), jsonBody(memberRoleBody), async (c) => {
      const body = c.req.valid('json');
      if (!(await auth.setMemberRole(c.var.roomId, c.req.param('user'), body.role, c.var.member))) {
        throw new ApiError('not-found', 'No member with that id in this room (the owner’s role cannot change).');
      }
      return c.json({ member: (await auth.listMembers(c.var.roomId)).find((m) => m.userId === c.req.param('user')) ?? null });
    })
    .delete('/api/rooms/:room/members/:user', requireMember(auth, 'invite'), async (c) => {
      if (!(await auth.removeMember(c.var.roomId, c.req.param('user'), c.var.member))) throw new ApiError('not-found', 'No member with that id in this room');
      return c.json({ removed: true });
    })
    .get('/api/sessions', async (c) => {
      if (!(await auth.readSession(c.req.raw))) throw new ApiError('unauthenticated', 'You are not signed in.');
      return c.json({ sessions: await auth.listSessions(c.req.raw) });
    })
    .delete('/api/sessions/:id', async (c) => {
      const current = await auth.readSession(c.req.raw);
      if (!current) throw new ApiError('unauthenticated', 'You are not signed in.');
      const id = c.req.param('id') === 'current' ? current.sessionId : c.req.param('id');
      if (!(await auth.endSession(c.req.raw, id))) throw new ApiError('not-found', 'No such session of yours');
      if (id === current.sessionId) c.header('set-cookie', auth.clearCookie(), { append: true });
      return c.json({ ended: true });
    })
    .get('/api/invites/:token', async (c) => {
      const check = await auth.checkInvite(c.req.param('token'), c.req.raw);
      if (!check.ok) throw new ApiError(refusalCode(check.reason), check.message);
      return c.json({ roomId: check.invite.roomId, roomTitle: check.roomTitle, role: check.invite.role, expiresAt: check.invite.expiresAt });
    })
    .post('/api/invites/:token/join', jsonBody(joinBody), async (c) => {
      const body = c.req.valid('json');
      const charge = await take('join', c);
      const result = await auth.join(c.req.param('token'), body.displayName, c.req.raw);
      if (!result.ok) throw new ApiError(refusalCode(result.reason), result.message);
      await charge(result.session.userId);
      c.header('set-cookie', result.setCookie, { append: true });
      return c.json({ roomId: result.invite.roomId, member: { userId: result.session.userId, name: result.session.name, role: result.role } });
    })
    .get('/join/:token', async (c) => joinForm(c, c.req.param('token'), (await auth.readSession(c.req.raw))?.name ?? '', null, 200))
    .post('/join/:token', async (c) => {
      const token = c.req.param('token');
      const form = Object.fromEntries(new URLSearchParams(await c.req.text().catch(() => '')));
      // The page's hidden token proves the post came from the form we served to this visitor.
      if (!auth.forms.verify(c.req.raw, String(form.formToken ?? ''))) {
        return joinForm(c, token, String(form.displayName ?? ''), 'This form expired or was not sent from this page. Please press Join again.', 403);
      }
      const parsed = joinBody.safeParse(form);
      if (!parsed.success) return joinForm(c, token, String(form.displayName ?? ''), parsed.error.issues[0]?.message ?? 'Enter a display name', 400);
      let charge: (userId: string) => Promise<void>;
      try {
        charge = await take('join', c);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 429) throw error;
        c.header('retry-after', error.getResponse().headers.get('retry-after') ?? '60');
        return joinForm(c, token, parsed.data.displayName, error.message, 429);
      }
      const result = await auth.join(token, parsed.data.displayName, c.req.raw);
      if (!result.ok) return c.html(renderJoinPage({ kind: 'refused', title: refusalTitle[result.reason], message: result.message }), refusalStatus(result.reason));
      await charge(result.session.userId);
      c.header('set-cookie', result.setCookie, { append: true });
      return c.redirect(`/room/${encodeURIComponent(result.invite.roomId)}`, 303);
    });
}

export type AuthRoutes = ReturnType<typeof createAuthRoutes>;
