import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessChange, AuthStore } from '../../server/src/auth/AuthStore.ts';
import { AUTH_TEST_SECRET, cookieOf, describeAuthContract } from '../../server/src/auth/authContract.testkit.ts';
import { createAuth, type Auth } from '../../server/src/auth/createAuth.ts';
import { createPostgresAuthStore } from '../../server/src/auth/createPostgresAuthStore.ts';
import { createMemoryLogger, waitFor, type LogLine } from '../integration/syncHarness.ts';
import { startPostgres, type TestPostgres } from './startPostgres.ts';

/**
 * The auth contract (server/src/auth/authContract.testkit.ts, also run on the file store) on
 * a real PostgreSQL, then what only a shared store has to do: two nodes on one database.
 */
let server: TestPostgres;
let admin: pg.Pool;
let databases = 0;
const lines: LogLine[] = [];
const logger = createMemoryLogger(lines);

/** A fresh database per store: each test starts from nothing, like a new install. */
async function freshDatabase(): Promise<string> {
  const name = `auth_${++databases}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return server.url.replace(/\/mixroom$/, `/${name}`);
}

beforeAll(async () => {
  server = await startPostgres();
  admin = new pg.Pool({ connectionString: server.url, max: 2 });
  // Its idle connections are cut when the server stops; nothing to report then.
  admin.on('error', () => undefined);
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

describeAuthContract({ name: 'PostgreSQL', open: async (now) => createPostgresAuthStore({ url: await freshDatabase(), logger, now }) });

describe('PostgreSQL auth store shared by two nodes', () => {
  const NOBODY = { headers: {} };
  const node = (store: AuthStore, clock: () => number, prefix: string): Auth => {
    let ids = 0;
    return createAuth({ secret: AUTH_TEST_SECRET, store, now: clock, newId: () => `${prefix}${++ids}xxxxxxxxxxxxxxx`, openRooms: [], secureCookies: false });
  };

  it('what one node writes another reads at once; a single-use link raced on both admits one; access changes reach the other node', async () => {
    const url = await freshDatabase();
    const now = () => 5_000_000;
    const [storeA, storeB] = await Promise.all([createPostgresAuthStore({ url, logger, now }), createPostgresAuthStore({ url, logger, now })]);
    try {
      const a = node(storeA, now, 'a');
      const b = node(storeB, now, 'b');
      const seenByB: AccessChange[] = [];
      const off = b.onAccessChange((change) => seenByB.push(change));

      const { room, session, setCookie } = await a.createRoom('Song', 'Olive', NOBODY);
      const owner = { userId: session.userId, name: 'Olive', role: 'owner' as const };
      expect((await b.authorize(cookieOf(setCookie), room.roomId))?.role).toBe('owner');

      // Both nodes race for one single-use link: the database decides.
      const single = await a.createInvite(room.roomId, owner, 'artist', 3600_000, 'single');
      const [ja, jb] = await Promise.all([a.join(single.token, 'A', NOBODY), b.join(single.token, 'B', NOBODY)]);
      expect([ja.ok, jb.ok].sort()).toEqual([false, true]);

      // An invite made on A is joined on B; revoked on A, B refuses at once and hears of it.
      const multi = await a.createInvite(room.roomId, owner, 'engineer', 3600_000, 'multi');
      const joined = await b.join(multi.token, 'Eve', NOBODY);
      if (!joined.ok) throw new Error(joined.message);
      const eve = cookieOf(joined.setCookie);
      const socketOnB = (await b.authorizeSocket(eve, room.roomId))!;
      expect(socketOnB.role).toBe('engineer');
      expect(await a.revokeInvite(room.roomId, multi.invite.inviteId, owner)).toBe(true);
      expect(await b.authorize(eve, room.roomId)).toBeNull();
      expect(await socketOnB.recheck()).toBeNull();
      await waitFor('B notified of the revocation', () => seenByB.some((c) => c.kind === 'invite-revoked' && c.roomId === room.roomId), 5000);

      // A role change and a sign-out on A, heard on B.
      const again = await a.createInvite(room.roomId, owner, 'engineer', 3600_000, 'multi');
      const rejoined = await a.join(again.token, 'Eve', eve);
      if (!rejoined.ok) throw new Error(rejoined.message);
      expect(await a.setMemberRole(room.roomId, joined.session.userId, 'listener', owner)).toBe(true);
      await waitFor('B notified of the role change', () => seenByB.some((c) => c.kind === 'member-changed' && c.userId === joined.session.userId), 5000);
      expect(await socketOnB.recheck()).toBe('listener');
      const [mine] = await a.listSessions(eve);
      expect(await a.endSession(eve, mine!.sessionId)).toBe(true);
      await waitFor('B notified of the sign-out', () => seenByB.some((c) => c.kind === 'session-ended'), 5000);
      expect(await socketOnB.recheck()).toBeNull();
      off();
    } finally {
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });

  it('survives a reopen, and a node whose LISTEN connection dropped reconnects and rechecks everything', async () => {
    const url = await freshDatabase();
    const now = () => 5_000_000;
    const first = await createPostgresAuthStore({ url, logger, now });
    const a = node(first, now, 'a');
    const { room, setCookie } = await a.createRoom('Song', 'Olive', NOBODY);
    await first.close();

    const [storeA, storeB] = await Promise.all([createPostgresAuthStore({ url, logger, now }), createPostgresAuthStore({ url, logger, now })]);
    try {
      expect((await node(storeA, now, 'a').authorize(cookieOf(setCookie), room.roomId))?.role).toBe('owner');
      const seen: AccessChange[] = [];
      storeB.onAccessChange((c) => seen.push(c));
      // Cut B's LISTEN connection from the server side, as a database restart would.
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'mixroom-listen'`, [url.split('/').at(-1)]);
      await waitFor('B rechecks after reconnecting', () => seen.some((c) => c.roomId === null && c.userId === null), 10_000);
      // And it hears later changes again.
      await storeA.putMember({ roomId: room.roomId, userId: 'u1', role: 'artist', inviteId: null, joinedAt: 1, updatedAt: 1 });
      await storeA.removeMember(room.roomId, 'u1', 'x', 2);
      await waitFor('B hears a removal after reconnecting', () => seen.some((c) => c.kind === 'member-removed' && c.userId === 'u1'), 5000);
      expect(lines.some((l) => l.msg === 'auth database listener lost; reconnecting')).toBe(true);
    } finally {
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });
});
