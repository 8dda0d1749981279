import { createHash, randomBytes } from 'node:crypto';
import { parse, serialize } from 'hono/utils/cookie';
import { isValidRoomId } from '@mixroom/shared/protocol';
import type { Role } from '@mixroom/shared/protocol';
import type { AccessChange, AuthStore, InviteRecord, InviteUses, MemberRecord, RoomRecord, SessionRecord } from './AuthStore.ts';
import { createFormGuard, type FormGuard } from './FormGuard.ts';
import { inviteTokenSchema } from './InviteToken.ts';
import type { InviteCheck, InviteToken } from './InviteToken.ts';
import { cookieHeaderOf } from './Member.ts';
import type { AuthRequest, Member } from './Member.ts';
import { legacySessionSchema, SESSION_COOKIE, SESSION_REFRESH_BELOW_MS, SESSION_TTL_MS } from './Session.ts';
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
type Refusal = Extract<InviteCheck, { ok: false }>;

/** A signed-in result: the session and the Set-Cookie header that carries it. */
export interface SignedIn {
  session: Session;
  setCookie: string;
}

/** A member as the owner sees them in the member list. */
export interface MemberView extends Member {
  joinedAt: number;
  inviteId: string | null;
}

/** A session as its user sees it in their session list. */
export interface SessionView {
  sessionId: string;
  createdAt: number;
  expiresAt: number;
  current: boolean;
}

/** The auth service: sessions, rooms with owners, members, invites, and the room-role resolver. */
export interface Auth {
  /** CSRF tokens for the server-rendered join form. */
  readonly forms: FormGuard;
  /**
   * The role the request's session holds in `roomId`, or null when it holds none (no, bad or
   * ended session, never joined, removed, joined through a since-revoked invite, unknown
   * room). Review routes call it on every request.
   */
  authorize(request: AuthRequest, roomId: string): Promise<Member | null>;
  /**
   * {@link authorize} for a long-lived socket, plus `recheck()`: the role the same session
   * holds in the room now (null: no longer a member). Called whenever access changes.
   */
  authorizeSocket(request: AuthRequest, roomId: string): Promise<(Member & { recheck(): Promise<Role | null> }) | null>;
  readSession(request: AuthRequest): Promise<Session | null>;
  /**
   * On a page load (GET): moves a pre-store signed cookie into the store (its user and the
   * grants still valid), or extends a session used in its last 29 days. The Set-Cookie to
   * send, or null.
   */
  refreshSession(request: AuthRequest): Promise<string | null>;
  /** A Set-Cookie header that removes the session cookie. */
  clearCookie(): string;
  isOpenRoom(roomId: string): boolean;
  getRoom(roomId: string): Promise<RoomRecord | null>;
  /** Creates a room owned by the request's user (signed in first when needed). */
  createRoom(title: string, displayName: string, request: AuthRequest): Promise<SignedIn & { room: RoomRecord }>;
  createInvite(roomId: string, by: Member, role: InviteRole, ttlMs: number, uses: InviteUses): Promise<{ invite: InviteRecord; token: string }>;
  listInvites(roomId: string): Promise<InviteRecord[]>;
  revokeInvite(roomId: string, inviteId: string, by: Member): Promise<boolean>;
  /** Whether the link is good, for this visitor (a used single-use link is good only for whoever used it). */
  checkInvite(token: string, request?: AuthRequest): Promise<InviteCheck>;
  /** Accepts an invite as the request's user (signed in first when needed). */
  join(token: string, displayName: string, request: AuthRequest): Promise<(SignedIn & { ok: true; invite: InviteToken; role: Role }) | Refusal>;
  joinOpenRoom(roomId: string, displayName: string, role: InviteRole, request: AuthRequest): Promise<SignedIn>;
  /** The owner first, then members in joining order. */
  listMembers(roomId: string): Promise<MemberView[]>;
  /** Resolves false when `userId` is not a member (the owner's role cannot change). */
  setMemberRole(roomId: string, userId: string, role: InviteRole, by: Member): Promise<boolean>;
  removeMember(roomId: string, userId: string, by: Member): Promise<boolean>;
  listSessions(request: AuthRequest): Promise<SessionView[]>;
  /** Ends one of the request user's sessions (signs that browser out). */
  endSession(request: AuthRequest, sessionId: string): Promise<boolean>;
  /**
   * Called after anything that may take a role away or change it, on this node or (with a
   * shared store) any other; returns the disposer.
   */
  onAccessChange(listener: (change: AccessChange) => void): () => void;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function createAuth(options: AuthOptions): Auth {
  const { store, now, newId } = options;
  const legacySessions = createTokenSigner(options.secret, 'session');
  const invites = createTokenSigner(options.secret, 'invite');
  const open = new Set(options.openRooms);

  const rawCookie = (request: AuthRequest): string | undefined => parse(cookieHeaderOf(request), SESSION_COOKIE)[SESSION_COOKIE];

  const sessionOf = async (record: SessionRecord, token: string): Promise<Session> => ({
    sessionId: record.sessionId,
    userId: record.userId,
    name: (await store.getUser(record.userId))?.name ?? 'Guest',
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    token,
  });

  const readSession = async (request: AuthRequest): Promise<Session | null> => {
    const token = rawCookie(request);
    if (token === undefined || !TOKEN.test(token)) return null;
    const record = await store.findSession(hashToken(token), now());
    return record ? sessionOf(record, token) : null;
  };

  const cookieFor = (session: Session): string =>
    serialize(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: options.secureCookies,
      maxAge: Math.max(0, Math.floor((session.expiresAt - now()) / 1000)),
    });

  const newSession = async (userId: string): Promise<Session> => {
    const token = randomBytes(32).toString('base64url');
    const record: SessionRecord = { sessionId: newId(), tokenHash: hashToken(token), userId, createdAt: now(), expiresAt: now() + SESSION_TTL_MS, endedAt: null };
    await store.putSession(record);
    return sessionOf(record, token);
  };

  /**
   * The request's user, signed in: its live session (same user, so joining or creating
   * while signed in never swaps identities) or a new user and session.
   */
  const signIn = async (request: AuthRequest, displayName: string): Promise<Session> => {
    const current = await readSession(request);
    const userId = current?.userId ?? newId();
    await store.putUser({ userId, name: displayName });
    if (!current) return newSession(userId);
    if (current.expiresAt - now() < SESSION_REFRESH_BELOW_MS) {
      const record = await store.findSession(hashToken(current.token), now());
      if (record) await store.putSession({ ...record, expiresAt: now() + SESSION_TTL_MS });
    }
    return { ...current, name: displayName, expiresAt: Math.max(current.expiresAt, now() + SESSION_REFRESH_BELOW_MS) };
  };

  const roleIn = async (userId: string, roomId: string): Promise<Role | null> => {
    if (!isValidRoomId(roomId)) return null;
    if (open.has(roomId)) return (await store.getMember(roomId, userId))?.role ?? null;
    const [room, member] = await Promise.all([store.getRoom(roomId), store.getMember(roomId, userId)]);
    if (!room) return null;
    if (room.ownerId === userId) return 'owner';
    if (!member) return null;
    // Joined through a link: access lasts while the link is not revoked, so revoking a link
    // also shuts out everyone who joined through it.
    if (member.inviteId !== null) {
      const invite = await store.getInvite(member.inviteId);
      if (!invite || invite.roomId !== roomId || invite.revokedAt !== null) return null;
    }
    return member.role;
  };

  const authorize = async (request: AuthRequest, roomId: string): Promise<Member | null> => {
    const session = await readSession(request);
    if (!session) return null;
    const role = await roleIn(session.userId, roomId);
    return role === null ? null : { userId: session.userId, name: session.name, role };
  };

  const usedRefusal: Refusal = {
    ok: false,
    reason: 'used',
    message: 'This invite link was for one person and has already been used. Ask the room owner for a new link.',
  };

  const checkInvite = async (token: string, userId: string | null): Promise<InviteCheck> => {
    const parsed = inviteTokenSchema.safeParse(invites.verify(token));
    const invalid = {
      ok: false as const,
      reason: 'invalid' as const,
      message: 'This invite link is not valid: it was changed, cut short or never issued here. Ask the room owner for a new link.',
    };
    if (!parsed.success) return invalid;
    const invite = parsed.data;
    const [record, room] = await Promise.all([store.getInvite(invite.inviteId), store.getRoom(invite.roomId)]);
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
    if (record.uses === 'single' && record.usedBy !== null && record.usedBy !== userId && room.ownerId !== userId) return usedRefusal;
    return { ok: true, invite, roomTitle: room.title };
  };

  /** Writes a membership (the store announces it when it replaced another role or link). */
  const putMember = async (roomId: string, userId: string, role: InviteRole, inviteId: string | null): Promise<void> => {
    const existing = await store.getMember(roomId, userId);
    if (existing && existing.role === role && existing.inviteId === inviteId) return;
    const member: MemberRecord = { roomId, userId, role, inviteId, joinedAt: existing?.joinedAt ?? now(), updatedAt: now() };
    await store.putMember(member);
  };

  /** A pre-store cookie: its user, and each grant that would still be honoured today. */
  const migrateLegacy = async (raw: string): Promise<Session | null> => {
    const parsed = legacySessionSchema.safeParse(legacySessions.verify(raw));
    if (!parsed.success || parsed.data.expiresAt <= now()) return null;
    const legacy = parsed.data;
    await store.putUser({ userId: legacy.userId, name: legacy.name });
    for (const [roomId, grant] of Object.entries(legacy.grants)) {
      if (grant.role === 'owner' || !isValidRoomId(roomId)) continue; // owners are the room record's ownerId
      if (open.has(roomId) && grant.inviteId === null) {
        if (!(await store.getMember(roomId, legacy.userId))) await putMember(roomId, legacy.userId, grant.role, null);
        continue;
      }
      const invite = grant.inviteId === null ? null : await store.getInvite(grant.inviteId);
      if (!invite || invite.roomId !== roomId || invite.revokedAt !== null || (await store.getMember(roomId, legacy.userId))) continue;
      await putMember(roomId, legacy.userId, grant.role, invite.inviteId);
    }
    return newSession(legacy.userId);
  };

  return {
    forms: createFormGuard({ secret: options.secret, newId, secureCookies: options.secureCookies }),
    readSession,
    authorize,
    async authorizeSocket(request, roomId) {
      const session = await readSession(request);
      const role = session ? await roleIn(session.userId, roomId) : null;
      if (!session || role === null) return null;
      const tokenHash = hashToken(session.token);
      return {
        userId: session.userId,
        name: session.name,
        role,
        recheck: async () => {
          const record = await store.findSession(tokenHash, now());
          return record ? roleIn(record.userId, roomId) : null;
        },
      };
    },
    async refreshSession(request) {
      const raw = rawCookie(request);
      if (raw === undefined) return null;
      if (raw.includes('.')) {
        const migrated = await migrateLegacy(raw);
        return migrated ? cookieFor(migrated) : null;
      }
      const session = await readSession(request);
      if (!session || session.expiresAt - now() >= SESSION_REFRESH_BELOW_MS) return null;
      const record = await store.findSession(hashToken(session.token), now());
      if (!record) return null;
      const expiresAt = now() + SESSION_TTL_MS;
      await store.putSession({ ...record, expiresAt });
      return cookieFor({ ...session, expiresAt });
    },
    clearCookie: () => serialize(SESSION_COOKIE, '', { path: '/', httpOnly: true, sameSite: 'Lax', secure: options.secureCookies, maxAge: 0 }),
    isOpenRoom: (roomId) => open.has(roomId),
    getRoom: (roomId) => store.getRoom(roomId),
    async createRoom(title, displayName, request) {
      const session = await signIn(request, displayName);
      let room: RoomRecord;
      do {
        room = { roomId: newId().slice(0, 12), title, ownerId: session.userId, ownerName: displayName, createdAt: now() };
      } while (open.has(room.roomId) || !(await store.createRoom(room)));
      return { room, session, setCookie: cookieFor(session) };
    },
    async createInvite(roomId, by, role, ttlMs, uses) {
      const invite: InviteRecord = {
        inviteId: newId(),
        roomId,
        role,
        uses,
        createdBy: by.userId,
        createdAt: now(),
        expiresAt: now() + ttlMs,
        revokedAt: null,
        revokedBy: null,
        usedBy: null,
        usedAt: null,
      };
      await store.createInvite(invite);
      const token = invites.sign({ inviteId: invite.inviteId, roomId, role, expiresAt: invite.expiresAt } satisfies InviteToken);
      return { invite, token };
    },
    listInvites: (roomId) => store.listInvites(roomId),
    async revokeInvite(roomId, inviteId, by) {
      const invite = await store.getInvite(inviteId);
      if (!invite || invite.roomId !== roomId) return false;
      return store.revokeInvite(inviteId, by.userId, now());
    },
    checkInvite: async (token, request) => checkInvite(token, request ? ((await readSession(request))?.userId ?? null) : null),
    async join(token, displayName, request) {
      const check = await checkInvite(token, (await readSession(request))?.userId ?? null);
      if (!check.ok) return check;
      const { invite } = check;
      const session = await signIn(request, displayName);
      const setCookie = cookieFor(session);
      // The owner opening their own link stays owner (and does not use up a single-use link).
      if ((await store.getRoom(invite.roomId))?.ownerId === session.userId) return { ok: true, session, setCookie, invite, role: 'owner' };
      const record = await store.getInvite(invite.inviteId);
      if (record?.uses === 'single' && !(await store.claimInvite(invite.inviteId, session.userId, now()))) return usedRefusal;
      await putMember(invite.roomId, session.userId, invite.role, invite.inviteId);
      return { ok: true, session, setCookie, invite, role: invite.role };
    },
    async joinOpenRoom(roomId, displayName, role, request) {
      if (!open.has(roomId)) throw new Error(`room ${roomId} is not open`);
      const session = await signIn(request, displayName);
      await putMember(roomId, session.userId, role, null);
      return { session, setCookie: cookieFor(session) };
    },
    async listMembers(roomId) {
      const room = await store.getRoom(roomId);
      const owner: MemberView[] = room
        ? [{ userId: room.ownerId, name: (await store.getUser(room.ownerId))?.name ?? room.ownerName, role: 'owner', joinedAt: room.createdAt, inviteId: null }]
        : [];
      const members: MemberView[] = [];
      for (const m of await store.listMembers(roomId)) {
        if (m.userId === room?.ownerId || (await roleIn(m.userId, roomId)) === null) continue;
        members.push({ userId: m.userId, name: (await store.getUser(m.userId))?.name ?? 'Guest', role: m.role, joinedAt: m.joinedAt, inviteId: m.inviteId });
      }
      return [...owner, ...members];
    },
    async setMemberRole(roomId, userId, role, _by) {
      const member = await store.getMember(roomId, userId);
      if (!member || (await roleIn(userId, roomId)) === null || (await store.getRoom(roomId))?.ownerId === userId) return false;
      await putMember(roomId, userId, role, member.inviteId);
      return true;
    },
    removeMember: (roomId, userId, by) => store.removeMember(roomId, userId, by.userId, now()),
    async listSessions(request) {
      const current = await readSession(request);
      if (!current) return [];
      return (await store.listSessions(current.userId, now())).map((s) => ({
        sessionId: s.sessionId,
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
        current: s.sessionId === current.sessionId,
      }));
    },
    async endSession(request, sessionId) {
      const current = await readSession(request);
      if (!current || !(await store.listSessions(current.userId, now())).some((s) => s.sessionId === sessionId)) return false;
      return store.endSession(sessionId, now());
    },
    onAccessChange: (listener) => store.onAccessChange(listener),
  };
}
