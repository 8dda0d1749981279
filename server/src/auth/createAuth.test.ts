import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../log/Logger.ts';
import { createAuth } from './createAuth.ts';
import type { Auth } from './createAuth.ts';
import { createFileAuthStore } from './createFileAuthStore.ts';
import type { AuthStore } from './AuthStore.ts';
import { SESSION_COOKIE } from './Session.ts';
import { createTokenSigner } from './TokenSigner.ts';

const warnings: string[] = [];
const logger: Logger = { debug: () => {}, info: () => {}, warn: (m) => void warnings.push(m), error: () => {} };
const SECRET = new Uint8Array(32).fill(7);

let dir: string;
let store: AuthStore;
let clock: number;
let ids: number;
let auth: Auth;

const cookieOf = (setCookie: string) => ({ headers: { cookie: setCookie.split(';')[0] } });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mixroom-auth-'));
  store = await createFileAuthStore(join(dir, 'auth.jsonl'), logger);
  clock = 1_000_000;
  ids = 0;
  auth = createAuth({ secret: SECRET, store, now: () => clock, newId: () => `id${++ids}xxxxxxxxxxxx`, openRooms: ['demo'], secureCookies: false });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('TokenSigner', () => {
  it('round-trips and refuses any changed byte, another purpose or another secret', () => {
    const signer = createTokenSigner(SECRET, 'invite');
    const token = signer.sign({ a: 1 });
    expect(signer.verify(token)).toEqual({ a: 1 });
    const [body, mac] = token.split('.') as [string, string];
    const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
    expect(signer.verify(`${body}.${flipped}`)).toBeNull();
    expect(signer.verify(`${Buffer.from('{"a":2}').toString('base64url')}.${mac}`)).toBeNull();
    expect(createTokenSigner(SECRET, 'session').verify(token)).toBeNull();
    expect(createTokenSigner(new Uint8Array(32).fill(8), 'invite').verify(token)).toBeNull();
    for (const junk of ['', '.', 'abc', 'a.b.c', `${body}.`]) expect(signer.verify(junk)).toBeNull();
    expect(() => createTokenSigner(new Uint8Array(16), 'x')).toThrow(/32 bytes/);
  });
});

describe('createAuth', () => {
  const NOBODY = { headers: {} };

  it('the owner owns the room they create; a random or foreign cookie is nobody; the cookie holds only a token', async () => {
    const { room, session, setCookie } = await auth.createRoom('Song', 'Olive', NOBODY);
    const req = cookieOf(setCookie);
    expect(auth.authorize(req, room.roomId)).toEqual({ userId: session.userId, name: 'Olive', role: 'owner' });
    expect(auth.authorize(req, 'other')).toBeNull();
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    const foreign = createAuth({ secret: new Uint8Array(32).fill(9), store: await createFileAuthStore(join(dir, 'other.jsonl'), logger), now: () => clock, newId: () => 'x', openRooms: [], secureCookies: false });
    expect(foreign.authorize(req, room.roomId)).toBeNull();
    expect(auth.authorize({ headers: { cookie: `${SESSION_COOKIE}=garbage` } }, room.roomId)).toBeNull();
    expect(auth.authorize({ headers: { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` } }, room.roomId)).toBeNull();
  });

  it('creating and joining while signed in keep the same user and session; 100 rooms, all still owned', async () => {
    const first = await auth.createRoom('Song 0', 'Olive', NOBODY);
    const req = cookieOf(first.setCookie);
    const rooms = [first.room.roomId];
    for (let i = 1; i < 100; i += 1) {
      const next = await auth.createRoom(`Song ${i}`, 'Olive', req);
      expect(next.session.sessionId).toBe(first.session.sessionId);
      expect(next.setCookie.split(';')[0]).toBe(first.setCookie.split(';')[0]);
      rooms.push(next.room.roomId);
    }
    for (const roomId of rooms) expect(auth.authorize(req, roomId)?.role).toBe('owner');
    const other = await auth.createRoom('Theirs', 'Theo', NOBODY);
    const owner = { userId: other.session.userId, name: 'Theo', role: 'owner' as const };
    const { token } = await auth.createInvite(other.room.roomId, owner, 'engineer', 3600_000, 'multi');
    const joined = await auth.join(token, 'Olive B', req);
    if (!joined.ok) throw new Error(joined.message);
    expect(joined.session.userId).toBe(first.session.userId);
    expect(auth.authorize(req, other.room.roomId)).toEqual({ userId: first.session.userId, name: 'Olive B', role: 'engineer' });
    expect(auth.authorize(req, rooms[0]!)?.role).toBe('owner');
  });

  it('invites: role from the link, expiry on join only, revocation ends access', async () => {
    const { room, session } = await auth.createRoom('Song', 'Olive', NOBODY);
    const owner = { userId: session.userId, name: 'Olive', role: 'owner' as const };
    const { token, invite } = await auth.createInvite(room.roomId, owner, 'artist', 3600_000, 'multi');
    const joined = await auth.join(token, 'Art', NOBODY);
    if (!joined.ok) throw new Error(joined.message);
    const req = cookieOf(joined.setCookie);
    expect(auth.authorize(req, room.roomId)?.role).toBe('artist');
    clock += 2 * 3600_000;
    expect(await auth.join(token, 'Late', NOBODY)).toMatchObject({ ok: false, reason: 'expired' });
    expect(auth.authorize(req, room.roomId)?.role).toBe('artist');
    expect(await auth.revokeInvite(room.roomId, invite.inviteId, owner)).toBe(true);
    expect(auth.authorize(req, room.roomId)).toBeNull();
    expect(auth.checkInvite(token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await auth.revokeInvite(room.roomId, invite.inviteId, owner)).toBe(false);
  });

  it('a single-use link admits its first user (again and again) and nobody else, even racing', async () => {
    const { room, session } = await auth.createRoom('Song', 'Olive', NOBODY);
    const owner = { userId: session.userId, name: 'Olive', role: 'owner' as const };
    const { token } = await auth.createInvite(room.roomId, owner, 'artist', 3600_000, 'single');
    const [a, b] = await Promise.all([auth.join(token, 'A', NOBODY), auth.join(token, 'B', NOBODY)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const winner = (a.ok ? a : b) as Extract<typeof a, { ok: true }>;
    expect(((a.ok ? b : a) as { reason: string }).reason).toBe('used');
    const again = await auth.join(token, 'A again', cookieOf(winner.setCookie));
    expect(again.ok).toBe(true);
    expect(auth.checkInvite(token, cookieOf(winner.setCookie)).ok).toBe(true);
    expect(auth.checkInvite(token)).toMatchObject({ ok: false, reason: 'used' });
    // The owner trying their own link neither uses it up nor loses ownership.
    const second = await auth.createInvite(room.roomId, owner, 'listener', 3600_000, 'single');
    const own = await auth.join(second.token, 'Olive', cookieOf((await auth.createRoom('x', 'Olive', NOBODY)).setCookie));
    expect(own.ok).toBe(true);
  });

  it('open rooms give the chosen non-owner role; a closed room refuses', async () => {
    const { setCookie } = await auth.joinOpenRoom('demo', 'Dee', 'engineer', NOBODY);
    expect(auth.authorize(cookieOf(setCookie), 'demo')?.role).toBe('engineer');
    await expect(auth.joinOpenRoom('closed', 'Dee', 'engineer', NOBODY)).rejects.toThrow();
  });

  it('a socket identity rechecks: role change, removal, revocation and sign-out are seen at once', async () => {
    const { room, session } = await auth.createRoom('Song', 'Olive', NOBODY);
    const owner = { userId: session.userId, name: 'Olive', role: 'owner' as const };
    const { token, invite } = await auth.createInvite(room.roomId, owner, 'engineer', 3600_000, 'multi');
    let changes = 0;
    const off = auth.onAccessChange(() => void (changes += 1));
    const joined = await auth.join(token, 'Eve', NOBODY);
    if (!joined.ok) throw new Error(joined.message);
    const req = cookieOf(joined.setCookie);
    const identity = auth.authorizeSocket(req, room.roomId)!;
    expect(identity.recheck()).toBe('engineer');
    expect(await auth.setMemberRole(room.roomId, joined.session.userId, 'listener', owner)).toBe(true);
    expect(identity.recheck()).toBe('listener');
    expect(await auth.setMemberRole(room.roomId, session.userId, 'listener', owner)).toBe(false); // not the owner
    expect(await auth.removeMember(room.roomId, joined.session.userId, owner)).toBe(true);
    expect(identity.recheck()).toBeNull();
    await auth.join(token, 'Eve', req);
    expect(identity.recheck()).toBe('engineer');
    await auth.revokeInvite(room.roomId, invite.inviteId, owner);
    expect(identity.recheck()).toBeNull();
    const mine = auth.authorizeSocket(cookieOf((await auth.createRoom('S2', 'Olive', NOBODY)).setCookie), room.roomId);
    expect(mine).toBeNull(); // another user
    const ownerReq = cookieOf((await auth.createRoom('S3', 'Olive', NOBODY)).setCookie);
    expect(auth.listSessions(ownerReq)).toHaveLength(1);
    const listed = auth.listSessions(req);
    expect(listed).toEqual([expect.objectContaining({ current: true })]);
    expect(await auth.endSession(ownerReq, listed[0]!.sessionId)).toBe(false); // not theirs
    expect(await auth.endSession(req, listed[0]!.sessionId)).toBe(true);
    expect(auth.readSession(req)).toBeNull();
    expect(changes).toBe(4); // role, removal, revocation, sign-out (a first join takes nothing away)
    off();
  });

  it('sessions expire, and are extended when used in their last 29 days', async () => {
    const { setCookie } = await auth.createRoom('Song', 'Olive', NOBODY);
    const req = cookieOf(setCookie);
    clock += 2 * 24 * 3600_000;
    const refreshed = await auth.refreshSession(req);
    expect(refreshed?.split(';')[0]).toBe(setCookie.split(';')[0]);
    expect(refreshed).toMatch(/Max-Age=2592000/);
    expect(await auth.refreshSession(req)).toBeNull(); // fresh again
    clock += 31 * 24 * 3600_000;
    expect(auth.readSession(req)).toBeNull();
  });

  it('an old signed cookie moves into the store on the first page load: ownership and valid grants kept', async () => {
    const { room, session } = await auth.createRoom('Song', 'Olive', NOBODY);
    const owner = { userId: session.userId, name: 'Olive', role: 'owner' as const };
    const other = await auth.createRoom('Other', 'Theo', NOBODY);
    const good = await auth.createInvite(other.room.roomId, { userId: other.session.userId, name: 'Theo', role: 'owner' }, 'engineer', 3600_000, 'multi');
    const gone = await auth.createInvite(room.roomId, owner, 'listener', 3600_000, 'multi');
    await auth.revokeInvite(room.roomId, gone.invite.inviteId, owner);
    const legacy = createTokenSigner(SECRET, 'session').sign({
      userId: session.userId,
      name: 'Olive',
      grants: {
        [room.roomId]: { role: 'owner', inviteId: null, at: 1 },
        [other.room.roomId]: { role: 'engineer', inviteId: good.invite.inviteId, at: 2 },
        demo: { role: 'artist', inviteId: null, at: 3 },
      },
      expiresAt: clock + 1000,
    });
    const old = { headers: { cookie: `${SESSION_COOKIE}=${legacy}` } };
    expect(auth.authorize(old, room.roomId)).toBeNull(); // not read as a session
    const setCookie = await auth.refreshSession(old);
    expect(setCookie).toBeTruthy();
    const req = cookieOf(setCookie!);
    expect(auth.authorize(req, room.roomId)?.role).toBe('owner');
    expect(auth.authorize(req, other.room.roomId)?.role).toBe('engineer');
    expect(auth.authorize(req, 'demo')?.role).toBe('artist');
    // A forged or expired old cookie migrates nothing.
    const forged = createTokenSigner(new Uint8Array(32).fill(3), 'session').sign({ userId: session.userId, name: 'M', grants: {}, expiresAt: clock + 1000 });
    expect(await auth.refreshSession({ headers: { cookie: `${SESSION_COOKIE}=${forged}` } })).toBeNull();
    const expired = createTokenSigner(SECRET, 'session').sign({ userId: session.userId, name: 'M', grants: {}, expiresAt: clock - 1 });
    expect(await auth.refreshSession({ headers: { cookie: `${SESSION_COOKIE}=${expired}` } })).toBeNull();
  });

  it('the store survives a reopen (sessions, members, claims) and skips a torn last line', async () => {
    const { room, session, setCookie } = await auth.createRoom('Song', 'Olive', NOBODY);
    const owner = { userId: session.userId, name: 'Olive', role: 'owner' as const };
    const { invite } = await auth.createInvite(room.roomId, owner, 'listener', 3600_000, 'multi');
    const single = await auth.createInvite(room.roomId, owner, 'artist', 3600_000, 'single');
    const joined = await auth.join(single.token, 'Art', NOBODY);
    if (!joined.ok) throw new Error(joined.message);
    await auth.revokeInvite(room.roomId, invite.inviteId, owner);
    await store.close();
    await appendFile(join(dir, 'auth.jsonl'), '{"type":"invite","inviteId":"torn');
    store = await createFileAuthStore(join(dir, 'auth.jsonl'), logger, () => clock);
    auth = createAuth({ secret: SECRET, store, now: () => clock, newId: () => `id${++ids}xxxxxxxxxxxx`, openRooms: ['demo'], secureCookies: false });
    expect(store.getRoom(room.roomId)?.ownerId).toBe(session.userId);
    expect(store.getInvite(invite.inviteId)?.revokedAt).toBe(clock);
    expect(store.getInvite(single.invite.inviteId)?.usedBy).toBe(joined.session.userId);
    expect(auth.authorize(cookieOf(setCookie), room.roomId)?.role).toBe('owner');
    expect(auth.authorize(cookieOf(joined.setCookie), room.roomId)?.role).toBe('artist');
    expect(warnings).toContain('auth log: skipped unreadable line');
    // A write after the torn line lands on its own line and is read back.
    await store.createRoom({ roomId: 'r2', title: 'T', ownerId: 'u', ownerName: 'U', createdAt: 1 });
    await store.close();
    const lines = (await readFile(join(dir, 'auth.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'room', roomId: 'r2' });
    expect(lines.join('\n')).not.toContain(setCookie.split(';')[0]!.split('=')[1]!); // only token hashes are stored
    store = await createFileAuthStore(join(dir, 'auth.jsonl'), logger);
    expect(store.getRoom('r2')?.title).toBe('T');
  });
});
