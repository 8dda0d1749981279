import { mkdir, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ROLES } from '@mixroom/shared/protocol';
import type { Logger } from '../log/Logger.ts';
import { INVITE_USES } from '@mixroom/shared/review';
import type { AccessChange, AuthStore, InviteRecord, MemberRecord, RoomRecord, SessionRecord, UserRecord } from './AuthStore.ts';

const guestRole = z.enum(ROLES).exclude(['owner']);
const roomEvent = z.object({
  type: z.literal('room'),
  roomId: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  createdAt: z.number(),
});
const inviteEvent = z.object({
  type: z.literal('invite'),
  inviteId: z.string(),
  roomId: z.string(),
  role: guestRole,
  // Links made before single-use existed admitted anyone.
  uses: z.enum(INVITE_USES).default('multi'),
  createdBy: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
const revokeEvent = z.object({ type: z.literal('revoke'), inviteId: z.string(), by: z.string(), at: z.number() });
const claimEvent = z.object({ type: z.literal('claim'), inviteId: z.string(), userId: z.string(), at: z.number() });
const userEvent = z.object({ type: z.literal('user'), userId: z.string(), name: z.string() });
const sessionEvent = z.object({
  type: z.literal('session'),
  sessionId: z.string(),
  tokenHash: z.string(),
  userId: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
const sessionEndEvent = z.object({ type: z.literal('session-end'), sessionId: z.string(), at: z.number() });
const memberEvent = z.object({
  type: z.literal('member'),
  roomId: z.string(),
  userId: z.string(),
  role: guestRole,
  inviteId: z.string().nullable(),
  joinedAt: z.number(),
  updatedAt: z.number(),
});
const memberRemoveEvent = z.object({ type: z.literal('member-remove'), roomId: z.string(), userId: z.string(), by: z.string(), at: z.number() });
const authEvent = z.discriminatedUnion('type', [
  roomEvent,
  inviteEvent,
  revokeEvent,
  claimEvent,
  userEvent,
  sessionEvent,
  sessionEndEvent,
  memberEvent,
  memberRemoveEvent,
]);
type AuthEvent = z.infer<typeof authEvent>;
type AuthEventInput = z.input<typeof authEvent>;

const memberKey = (roomId: string, userId: string) => `${roomId}\u0000${userId}`;

/**
 * An {@link AuthStore} kept as an append-only JSON-lines log (one event per line, fsynced
 * before a write resolves), replayed into memory at open: the embedded default, for one
 * process. Everything lives in memory, so reads cost no I/O on every request and socket. A torn
 * last line (crash mid-append) is skipped with a warning; nothing before it is lost.
 * Sessions that ended or expired are dropped at replay, so memory follows live sessions.
 */
export async function createFileAuthStore(path: string, logger: Logger, now: () => number = Date.now): Promise<AuthStore> {
  const rooms = new Map<string, RoomRecord>();
  const invites = new Map<string, InviteRecord>();
  const users = new Map<string, UserRecord>();
  const sessions = new Map<string, SessionRecord>();
  const sessionByToken = new Map<string, SessionRecord>();
  const members = new Map<string, MemberRecord>();
  /** Single-use claims decided but maybe not yet durable (see `claimInvite`). */
  const claims = new Map<string, string>();

  const apply = (event: AuthEvent): void => {
    switch (event.type) {
      case 'room': {
        const { type: _type, ...room } = event;
        if (!rooms.has(room.roomId)) rooms.set(room.roomId, room);
        break;
      }
      case 'invite': {
        const { type: _type, ...invite } = event;
        invites.set(invite.inviteId, { ...invite, revokedAt: null, revokedBy: null, usedBy: null, usedAt: null });
        break;
      }
      case 'revoke': {
        const invite = invites.get(event.inviteId);
        if (invite && invite.revokedAt === null) invites.set(event.inviteId, { ...invite, revokedAt: event.at, revokedBy: event.by });
        break;
      }
      case 'claim': {
        const invite = invites.get(event.inviteId);
        if (invite && invite.usedBy === null) invites.set(event.inviteId, { ...invite, usedBy: event.userId, usedAt: event.at });
        claims.set(event.inviteId, invites.get(event.inviteId)?.usedBy ?? event.userId);
        break;
      }
      case 'user':
        users.set(event.userId, { userId: event.userId, name: event.name });
        break;
      case 'session': {
        const previous = sessions.get(event.sessionId);
        if (previous) sessionByToken.delete(previous.tokenHash);
        const { type: _type, ...rest } = event;
        const session: SessionRecord = { ...rest, endedAt: null };
        sessions.set(session.sessionId, session);
        sessionByToken.set(session.tokenHash, session);
        break;
      }
      case 'session-end': {
        const session = sessions.get(event.sessionId);
        if (session) {
          sessions.delete(event.sessionId);
          sessionByToken.delete(session.tokenHash);
        }
        break;
      }
      case 'member': {
        const { type: _type, ...member } = event;
        members.set(memberKey(member.roomId, member.userId), member);
        break;
      }
      case 'member-remove':
        members.delete(memberKey(event.roomId, event.userId));
        break;
    }
  };

  await mkdir(dirname(path), { recursive: true });
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: ReturnType<typeof authEvent.safeParse>;
    try {
      parsed = authEvent.safeParse(JSON.parse(line));
    } catch {
      parsed = { success: false } as ReturnType<typeof authEvent.safeParse>;
    }
    if (parsed.success) apply(parsed.data);
    else logger.warn('auth log: skipped unreadable line', { path, line: i + 1 });
  });
  const openedAt = now();
  for (const session of [...sessions.values()]) {
    if (session.expiresAt <= openedAt) apply({ type: 'session-end', sessionId: session.sessionId, at: openedAt });
  }

  const file: FileHandle = await open(path, 'a');
  // If the previous process died mid-line, start ours on a fresh line.
  let pending: Promise<void> = text.length > 0 && !text.endsWith('\n') ? file.appendFile('\n') : Promise.resolve();

  const append = (input: AuthEventInput): Promise<void> => {
    const event = authEvent.parse(input);
    const write = pending.then(async () => {
      await file.appendFile(JSON.stringify(event) + '\n');
      await file.sync();
    });
    pending = write.catch(() => undefined);
    return write.then(() => apply(event));
  };

  const listeners = new Set<(change: AccessChange) => void>();
  const announce = (change: AccessChange): void => {
    for (const listener of [...listeners]) listener(change);
  };

  const live = (session: SessionRecord | undefined, at: number): SessionRecord | null =>
    session && session.endedAt === null && session.expiresAt > at ? session : null;

  return {
    getRoom: async (roomId) => rooms.get(roomId) ?? null,
    async createRoom(room) {
      if (rooms.has(room.roomId)) return false;
      await append({ type: 'room', ...room });
      return true;
    },
    getInvite: async (inviteId) => invites.get(inviteId) ?? null,
    listInvites: async (roomId) => [...invites.values()].filter((i) => i.roomId === roomId).sort((a, b) => a.createdAt - b.createdAt),
    async createInvite(invite) {
      const { revokedAt: _r, revokedBy: _b, usedBy: _u, usedAt: _a, ...rest } = invite;
      await append({ type: 'invite', ...rest });
    },
    async revokeInvite(inviteId, by, at) {
      const invite = invites.get(inviteId);
      if (!invite || invite.revokedAt !== null) return false;
      await append({ type: 'revoke', inviteId, by, at });
      announce({ kind: 'invite-revoked', roomId: invite.roomId, userId: null });
      return true;
    },
    async claimInvite(inviteId, userId, at) {
      const holder = claims.get(inviteId);
      if (holder !== undefined) return holder === userId;
      claims.set(inviteId, userId);
      try {
        await append({ type: 'claim', inviteId, userId, at });
      } catch (error) {
        claims.delete(inviteId);
        throw error;
      }
      return true;
    },
    getUser: async (userId) => users.get(userId) ?? null,
    async putUser(user) {
      const current = users.get(user.userId);
      if (current?.name === user.name) return;
      await append({ type: 'user', ...user });
    },
    findSession: async (tokenHash, at) => live(sessionByToken.get(tokenHash), at),
    async putSession(session) {
      const { endedAt: _e, ...rest } = session;
      await append({ type: 'session', ...rest });
    },
    async endSession(sessionId, at) {
      const session = sessions.get(sessionId);
      if (!session) return false;
      await append({ type: 'session-end', sessionId, at });
      announce({ kind: 'session-ended', roomId: null, userId: session.userId });
      return true;
    },
    listSessions: async (userId, at) =>
      [...sessions.values()].filter((s) => s.userId === userId && live(s, at) !== null).sort((a, b) => a.createdAt - b.createdAt),
    getMember: async (roomId, userId) => members.get(memberKey(roomId, userId)) ?? null,
    listMembers: async (roomId) => [...members.values()].filter((m) => m.roomId === roomId).sort((a, b) => a.joinedAt - b.joinedAt),
    async putMember(member) {
      const existing = members.get(memberKey(member.roomId, member.userId));
      await append({ type: 'member', ...member });
      if (existing && (existing.role !== member.role || existing.inviteId !== member.inviteId)) {
        announce({ kind: 'member-changed', roomId: member.roomId, userId: member.userId });
      }
    },
    async removeMember(roomId, userId, by, at) {
      if (!members.has(memberKey(roomId, userId))) return false;
      await append({ type: 'member-remove', roomId, userId, by, at });
      announce({ kind: 'member-removed', roomId, userId });
      return true;
    },
    ping: async () => undefined,
    onAccessChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await pending;
      await file.close();
    },
  };
}
