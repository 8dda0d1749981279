import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthStore } from './AuthStore.ts';
import { createAuth } from './createAuth.ts';
import type { Auth } from './createAuth.ts';
import { SESSION_COOKIE } from './Session.ts';
import { createTokenSigner } from './TokenSigner.ts';

/** One `AuthStore` implementation under the contract below. */
export interface AuthBackend {
  readonly name: string;
  /** A fresh, empty store (each call another install's: nothing shared between two). */
  open(now: () => number): Promise<AuthStore>;
}

export const AUTH_TEST_SECRET = new Uint8Array(32).fill(7);
export const cookieOf = (setCookie: string) => ({ headers: { cookie: setCookie.split(';')[0] } });

/**
 * What every auth store must do behind `createAuth`: the same tests run on the file store
 * (`createAuth.test.ts`) and on PostgreSQL (`test/cluster/authStoreParity.test.ts`).
 */
export function describeAuthContract(backend: AuthBackend): void {
  const SECRET = AUTH_TEST_SECRET;
  let store: AuthStore;
  let clock: number;
  let ids: number;
  let auth: Auth;
  const opened: AuthStore[] = [];

  beforeEach(async () => {
    clock = 1_000_000;
    ids = 0;
    store = await backend.open(() => clock);
    opened.push(store);
    auth = createAuth({ secret: SECRET, store, now: () => clock, newId: () => `id${++ids}xxxxxxxxxxxx`, openRooms: ['demo'], secureCookies: false });
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  describe(`createAuth on the ${backend.name} store`, () => {
    const NOBODY = { headers: {} };

    it('the owner owns the room they create; a random or foreign cookie is nobody; the cookie holds only a token', async () => {
      const { room, session, setCookie } = await auth.createRoom('Song', 'Olive', NOBODY);
      const req = cookieOf(setCookie);
      expect(await auth.authorize(req, room.roomId)).toEqual({ userId: session.userId, name: 'Olive', role: 'owner' });
      expect(await auth.authorize(req, 'other')).toBeNull();
      expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
      const other = await backend.open(() => clock);
      opened.push(other);
      const foreign = createAuth({ secret: new Uint8Array(32).fill(9), store: other, now: () => clock, newId: () => 'x', openRooms: [], secureCookies: false });
      expect(await foreign.authorize(req, room.roomId)).toBeNull();
      expect(await auth.authorize({ headers: { cookie: `${SESSION_COOKIE}=garbage` } }, room.roomId)).toBeNull();
      expect(await auth.authorize({ headers: { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` } }, room.roomId)).toBeNull();
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
      for (const roomId of rooms) expect((await auth.authorize(req, roomId))?.role).toBe('owner');
      const other = await auth.createRoom('Theirs', 'Theo', NOBODY);
      const owner = { userId: other.session.userId, name: 'Theo', role: 'owner' as const };
      const { token } = await auth.createInvite(other.room.roomId, owner, 'engineer', 3600_000, 'multi');
      const joined = await auth.join(token, 'Olive B', req);
      if (!joined.ok) throw new Error(joined.message);
      expect(joined.session.userId).toBe(first.session.userId);
      expect(await auth.authorize(req, other.room.roomId)).toEqual({ userId: first.session.userId, name: 'Olive B', role: 'engineer' });
      expect((await auth.authorize(req, rooms[0]!))?.role).toBe('owner');
    });

    it('invites: role from the link, expiry on join only, revocation ends access', async () => {
      const { room, session } = await auth.createRoom('Song', 'Olive', NOBODY);
      const owner = { userId: session.userId, name: 'Olive', role: 'owner' as const };
      const { token, invite } = await auth.createInvite(room.roomId, owner, 'artist', 3600_000, 'multi');
      const joined = await auth.join(token, 'Art', NOBODY);
      if (!joined.ok) throw new Error(joined.message);
      const req = cookieOf(joined.setCookie);
      expect((await auth.authorize(req, room.roomId))?.role).toBe('artist');
      clock += 2 * 3600_000;
      expect(await auth.join(token, 'Late', NOBODY)).toMatchObject({ ok: false, reason: 'expired' });
      expect((await auth.authorize(req, room.roomId))?.role).toBe('artist');
      expect(await auth.revokeInvite(room.roomId, invite.inviteId, owner)).toBe(true);
      expect(await auth.authorize(req, room.roomId)).toBeNull();
      expect(await auth.checkInvite(token)).toMatchObject({ ok: false, reason: 'revoked' });
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
      expect((await auth.checkInvite(token, cookieOf(winner.setCookie))).ok).toBe(true);
      expect(await auth.checkInvite(token)).toMatchObject({ ok: false, reason: 'used' });
      // The owner trying their own link neither uses it up nor loses ownership.
      const second = await auth.createInvite(room.roomId, owner, 'listener', 3600_000, 'single');
      const own = await auth.join(second.token, 'Olive', cookieOf((await auth.createRoom('x', 'Olive', NOBODY)).setCookie));
      expect(own.ok).toBe(true);
    });

    it('open rooms give the chosen non-owner role; a closed room refuses', async () => {
      const { setCookie } = await auth.joinOpenRoom('demo', 'Dee', 'engineer', NOBODY);
      expect((await auth.authorize(cookieOf(setCookie), 'demo'))?.role).toBe('engineer');
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
      const identity = (await auth.authorizeSocket(req, room.roomId))!;
      expect(await identity.recheck()).toBe('engineer');
      expect(await auth.setMemberRole(room.roomId, joined.session.userId, 'listener', owner)).toBe(true);
      expect(await identity.recheck()).toBe('listener');
      expect(await auth.setMemberRole(room.roomId, session.userId, 'listener', owner)).toBe(false); // not the owner
      expect(await auth.removeMember(room.roomId, joined.session.userId, owner)).toBe(true);
      expect(await identity.recheck()).toBeNull();
      await auth.join(token, 'Eve', req);
      expect(await identity.recheck()).toBe('engineer');
      await auth.revokeInvite(room.roomId, invite.inviteId, owner);
      expect(await identity.recheck()).toBeNull();
      const mine = await auth.authorizeSocket(cookieOf((await auth.createRoom('S2', 'Olive', NOBODY)).setCookie), room.roomId);
      expect(mine).toBeNull(); // another user
      const ownerReq = cookieOf((await auth.createRoom('S3', 'Olive', NOBODY)).setCookie);
      expect(await auth.listSessions(ownerReq)).toHaveLength(1);
      const listed = await auth.listSessions(req);
      expect(listed).toEqual([expect.objectContaining({ current: true })]);
      expect(await auth.endSession(ownerReq, listed[0]!.sessionId)).toBe(false); // not theirs
      expect(await auth.endSession(req, listed[0]!.sessionId)).toBe(true);
      expect(await auth.readSession(req)).toBeNull();
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
      expect(await auth.readSession(req)).toBeNull();
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
      expect(await auth.authorize(old, room.roomId)).toBeNull(); // not read as a session
      const setCookie = await auth.refreshSession(old);
      expect(setCookie).toBeTruthy();
      const req = cookieOf(setCookie!);
      expect((await auth.authorize(req, room.roomId))?.role).toBe('owner');
      expect((await auth.authorize(req, other.room.roomId))?.role).toBe('engineer');
      expect((await auth.authorize(req, 'demo'))?.role).toBe('artist');
      // A forged or expired old cookie migrates nothing.
      const forged = createTokenSigner(new Uint8Array(32).fill(3), 'session').sign({ userId: session.userId, name: 'M', grants: {}, expiresAt: clock + 1000 });
      expect(await auth.refreshSession({ headers: { cookie: `${SESSION_COOKIE}=${forged}` } })).toBeNull();
      const expired = createTokenSigner(SECRET, 'session').sign({ userId: session.userId, name: 'M', grants: {}, expiresAt: clock - 1 });
      expect(await auth.refreshSession({ headers: { cookie: `${SESSION_COOKIE}=${expired}` } })).toBeNull();
    });
  });
}
