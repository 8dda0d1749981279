import { parse, serialize } from 'hono/utils/cookie';
import { isValidRoomId } from '@mixroom/shared/protocol';
import type { Role } from '@mixroom/shared/protocol';
import type { AuthStore, InviteRecord, RoomRecord } from './AuthStore.ts';
import { inviteTokenSchema } from './InviteToken.ts';
import type { InviteCheck, InviteToken } from './InviteToken.ts';
import { createFormGuard, type FormGuard } from './FormGuard.ts';
import { cookieHeaderOf } from './Member.ts';
import type { AuthRequest, Member } from './Member.ts';
import { SESSION_COOKIE, SESSION_TTL_MS, sessionSchema, withGrant } from './Session.ts';
import type { Session } from './Session.ts';
import { createTokenSigner } from './TokenSigner.ts';

export interface AuthOptions {
  /** HMAC key (see `loadAuthSecret`). */
  secret: Uint8Array;
  store: AuthStore;
  now: () => number;
  /** Random unguessable ids for users, rooms and invites. */
  newId: () => string;
  /**
   * Rooms anyone may join without an invite, choosing a non-owner role at the join prompt
   * (the demo room). They have no owner, so nobody can invite to them; they exist so the
   * README's "open /room/demo" works on a fresh install. Empty in a locked-down deployment.
   */
  openRooms: readonly string[];
  /** Adds `Secure` to the session cookie (set behind HTTPS). */
  secureCookies: boolean;
}

export type InviteRole = Exclude<Role, 'owner'>;

/** The auth service: sessions, rooms with owners, invites, and the room-role resolver. */
export interface Auth {
  /** CSRF tokens for the server-rendered join form. */
  readonly forms: FormGuard;
  /**
   * The role the request's session holds in `roomId`, or null when it holds none (no or
   * bad cookie, never joined, joined through a since-revoked invite, unknown room). The
   * sync server calls it on every socket upgrade; review routes on every request.
   */
  authorize(request: AuthRequest, roomId: string): Member | null;
  readSession(request: AuthRequest): Session | null;
  /** The Set-Cookie header value storing `session`. */
  sessionCookie(session: Session): string;
  isOpenRoom(roomId: string): boolean;
  getRoom(roomId: string): RoomRecord | null;
  createRoom(title: string, displayName: string, current: Session | null): Promise<{ room: RoomRecord; session: Session }>;
  createInvite(roomId: string, by: Member, role: InviteRole, ttlMs: number): Promise<{ invite: InviteRecord; token: string }>;
  listInvites(roomId: string): InviteRecord[];
  revokeInvite(roomId: string, inviteId: string, by: Member): Promise<boolean>;
  checkInvite(token: string): InviteCheck;
  /** Accepts an invite: the returned session holds the invite's role in its room. */
  join(token: string, displayName: string, current: Session | null): { ok: true; session: Session; invite: InviteToken } | Extract<InviteCheck, { ok: false }>;
  joinOpenRoom(roomId: string, displayName: string, role: InviteRole, current: Session | null): Session;
}

export function createAuth(options: AuthOptions): Auth {
  const { store, now, newId } = options;
  const sessions = createTokenSigner(options.secret, 'session');
  const invites = createTokenSigner(options.secret, 'invite');
  const open = new Set(options.openRooms);

  const readSession = (request: AuthRequest): Session | null => {
    const raw = parse(cookieHeaderOf(request), SESSION_COOKIE)[SESSION_COOKIE];
    if (!raw) return null;
    const parsed = sessionSchema.safeParse(sessions.verify(raw));
    if (!parsed.success || parsed.data.expiresAt <= now()) return null;
    return parsed.data;
  };

  const freshSession = (current: Session | null, name: string): Session => ({
    userId: current?.userId ?? newId(),
    name,
    grants: current?.grants ?? {},
    expiresAt: now() + SESSION_TTL_MS,
  });

  const checkInvite = (token: string): InviteCheck => {
    const parsed = inviteTokenSchema.safeParse(invites.verify(token));
    const invalid = {
      ok: false as const,
      reason: 'invalid' as const,
      message: 'This invite link is not valid: it was changed, cut short or never issued here. Ask the room owner for a new link.',
    };
    if (!parsed.success) return invalid;
    const invite = parsed.data;
    const record = store.getInvite(invite.inviteId);
    const room = store.getRoom(invite.roomId);
    if (!record || !room || record.roomId !== invite.roomId || record.role !== invite.role) return invalid;
    if (record.revokedAt !== null) {
      return { ok: false, reason: 'revoked', revokedAt: record.revokedAt, message: 'This invite link was revoked by the room owner. Ask them for a new link.' };
    }
    if (invite.expiresAt <= now()) {
      return {
        ok: false,
        reason: 'expired',
        expiresAt: invite.expiresAt,
        message: `This invite link expired on ${new Date(invite.expiresAt).toUTCString()}. Ask the room owner for a new link.`,
      };
    }
    return { ok: true, invite, roomTitle: room.title };
  };

  return {
    forms: createFormGuard({ secret: options.secret, newId, secureCookies: options.secureCookies }),
    readSession,
    authorize(request, roomId) {
      if (!isValidRoomId(roomId)) return null;
      const session = readSession(request);
      const grant = session?.grants[roomId];
      if (!session || !grant) return null;
      const member = { userId: session.userId, name: session.name, role: grant.role };
      if (open.has(roomId)) return grant.role === 'owner' ? null : member;
      const room = store.getRoom(roomId);
      if (!room) return null;
      if (grant.role === 'owner') return room.ownerId === session.userId ? member : null;
      // A grant lives as long as its invite is not revoked: revoking a link also shuts
      // out everyone who joined through it (their next request or reconnect is refused).
      const invite = grant.inviteId === null ? null : store.getInvite(grant.inviteId);
      if (!invite || invite.roomId !== roomId || invite.revokedAt !== null) return null;
      return member;
    },
    sessionCookie(session) {
      return serialize(SESSION_COOKIE, sessions.sign(session), {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure: options.secureCookies,
        maxAge: Math.max(0, Math.floor((session.expiresAt - now()) / 1000)),
      });
    },
    isOpenRoom: (roomId) => open.has(roomId),
    getRoom: (roomId) => store.getRoom(roomId),
    async createRoom(title, displayName, current) {
      const base = freshSession(current, displayName);
      let room: RoomRecord;
      do {
        room = { roomId: newId().slice(0, 12), title, ownerId: base.userId, ownerName: displayName, createdAt: now() };
      } while (open.has(room.roomId) || !(await store.createRoom(room)));
      return { room, session: withGrant(base, room.roomId, { role: 'owner', inviteId: null, at: now() }) };
    },
    async createInvite(roomId, by, role, ttlMs) {
      const invite: InviteRecord = {
        inviteId: newId(),
        roomId,
        role,
        createdBy: by.userId,
        createdAt: now(),
        expiresAt: now() + ttlMs,
        revokedAt: null,
        revokedBy: null,
      };
      await store.createInvite(invite);
      const token = invites.sign({ inviteId: invite.inviteId, roomId, role, expiresAt: invite.expiresAt } satisfies InviteToken);
      return { invite, token };
    },
    listInvites: (roomId) => store.listInvites(roomId),
    async revokeInvite(roomId, inviteId, by) {
      const invite = store.getInvite(inviteId);
      if (!invite || invite.roomId !== roomId) return false;
      return store.revokeInvite(inviteId, by.userId, now());
    },
    checkInvite,
    join(token, displayName, current) {
      const check = checkInvite(token);
      if (!check.ok) return check;
      const { invite } = check;
      const base = freshSession(current, displayName);
      // The owner opening their own link keeps ownership rather than demoting themselves.
      if (base.grants[invite.roomId]?.role === 'owner' && store.getRoom(invite.roomId)?.ownerId === base.userId) {
        return { ok: true, session: base, invite };
      }
      return { ok: true, session: withGrant(base, invite.roomId, { role: invite.role, inviteId: invite.inviteId, at: now() }), invite };
    },
    joinOpenRoom(roomId, displayName, role, current) {
      if (!open.has(roomId)) throw new Error(`room ${roomId} is not open`);
      return withGrant(freshSession(current, displayName), roomId, { role, inviteId: null, at: now() });
    },
  };
}
