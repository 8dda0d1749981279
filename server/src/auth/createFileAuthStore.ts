import { mkdir, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ROLES } from '@mixroom/shared/protocol';
import type { Logger } from '../log/Logger.ts';
import type { AuthStore, InviteRecord, RoomRecord } from './AuthStore.ts';

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
  role: z.enum(ROLES).exclude(['owner']),
  createdBy: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
const revokeEvent = z.object({ type: z.literal('revoke'), inviteId: z.string(), by: z.string(), at: z.number() });
const authEvent = z.discriminatedUnion('type', [roomEvent, inviteEvent, revokeEvent]);
type AuthEvent = z.infer<typeof authEvent>;

/**
 * An {@link AuthStore} kept as an append-only JSON-lines log (one event per line, fsynced
 * before a write resolves), replayed into memory at open. Rooms and invites are few and
 * small, so the whole set lives in memory and reads are synchronous, which keeps
 * `authorize` cheap on every socket connection. A torn last line (crash mid-append) is
 * skipped with a warning; nothing before it is lost.
 */
export async function createFileAuthStore(path: string, logger: Logger): Promise<AuthStore> {
  const rooms = new Map<string, RoomRecord>();
  const invites = new Map<string, InviteRecord>();

  const apply = (event: AuthEvent): void => {
    switch (event.type) {
      case 'room': {
        const { type: _type, ...room } = event;
        if (!rooms.has(room.roomId)) rooms.set(room.roomId, room);
        break;
      }
      case 'invite': {
        const { type: _type, ...invite } = event;
        invites.set(invite.inviteId, { ...invite, revokedAt: null, revokedBy: null });
        break;
      }
      case 'revoke': {
        const invite = invites.get(event.inviteId);
        if (invite && invite.revokedAt === null) invites.set(event.inviteId, { ...invite, revokedAt: event.at, revokedBy: event.by });
        break;
      }
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

  const file: FileHandle = await open(path, 'a');
  // If the previous process died mid-line, start ours on a fresh line.
  let pending: Promise<void> = text.length > 0 && !text.endsWith('\n') ? file.appendFile('\n') : Promise.resolve();

  const append = (event: AuthEvent): Promise<void> => {
    const write = pending.then(async () => {
      await file.appendFile(JSON.stringify(event) + '\n');
      await file.sync();
    });
    pending = write.catch(() => undefined);
    return write.then(() => apply(event));
  };

  return {
    getRoom: (roomId) => rooms.get(roomId) ?? null,
    async createRoom(room) {
      if (rooms.has(room.roomId)) return false;
      await append({ type: 'room', ...room });
      return true;
    },
    getInvite: (inviteId) => invites.get(inviteId) ?? null,
    listInvites: (roomId) => [...invites.values()].filter((i) => i.roomId === roomId).sort((a, b) => a.createdAt - b.createdAt),
    async createInvite(invite) {
      const { revokedAt: _r, revokedBy: _b, ...rest } = invite;
      await append({ type: 'invite', ...rest });
    },
    async revokeInvite(inviteId, by, at) {
      const invite = invites.get(inviteId);
      if (!invite || invite.revokedAt !== null) return false;
      await append({ type: 'revoke', inviteId, by, at });
      return true;
    },
    async close() {
      await pending;
      await file.close();
    },
  };
}
