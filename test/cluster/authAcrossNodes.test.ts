import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@mixroom/shared/protocol';
import { connectWithCookie, HttpUser, whenSocketSynced, type SocketClient } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { startClusterBackends, type ClusterBackends } from './startClusterBackends.ts';
import type { TestPostgres } from './startPostgres.ts';
import type { TestRedis } from './startRedisServer.ts';

/**
 * Two API nodes (the real composition root in cluster mode) on one PostgreSQL auth store:
 * an invite or a revocation made through node A holds for requests and open sockets on B.
 */
let backends: ClusterBackends;
let redis: TestRedis;
let pg: TestPostgres;
let nodeA: TestMixroom;
let nodeB: TestMixroom;
const METRICS_TOKEN = randomBytes(24).toString('hex');
const sockets: SocketClient[] = [];

beforeAll(async () => {
  backends = await startClusterBackends('mixroom-auth-nodes-');
  ({ redis, pg } = backends);
  const env = {
    ...backends.env,
    OPEN_ROOMS: '',
    METRICS_TOKEN,
  };
  nodeA = await startTestMixroom({ env });
  nodeB = await startTestMixroom({ env });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await nodeA?.close();
  await nodeB?.close();
  await backends?.close();
});

describe('shared auth across nodes', () => {
  it('an invite made on node A is joined on node B; revoking it on A refuses B’s requests and closes B’s open socket (4401)', async () => {
    const owner = new HttpUser(nodeA.url, 'owner');
    const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Two nodes', displayName: 'Olive' });
    expect(created.status).toBe(201);
    const roomId = created.body.room.roomId;
    const invite = await owner.json<{ token: string; invite: { inviteId: string } }>('POST', `/api/rooms/${roomId}/invites`, { role: 'engineer', ttlHours: 1 });
    expect(invite.status).toBe(201);

    // The engineer never talks to node A: joins, reads and opens the room on B.
    const engineer = new HttpUser(nodeB.url, 'engineer');
    const joined = await engineer.json<{ member: { role: string } }>('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'Eve' });
    expect(joined.status).toBe(200);
    expect(joined.body.member.role).toBe('engineer');
    expect((await engineer.json('GET', `/api/rooms/${roomId}/me`)).status).toBe(200);
    const socket = connectWithCookie(nodeB.url, roomId, engineer.cookie);
    sockets.push(socket);
    await whenSocketSynced(socket);

    // The owner, on A, sees the member B admitted, then revokes the link.
    const members = await owner.json<{ members: Array<{ name: string; role: string }> }>('GET', `/api/rooms/${roomId}/members`);
    expect(members.body.members.map((m) => [m.name, m.role])).toEqual([['Olive', 'owner'], ['Eve', 'engineer']]);
    expect((await owner.json('DELETE', `/api/rooms/${roomId}/invites/${invite.body.invite.inviteId}`)).status).toBe(200);

    // B refuses the very next request, and B's open socket is closed as unauthorised.
    expect((await engineer.json('GET', `/api/rooms/${roomId}/me`)).status).toBe(401);
    await waitFor('B closes the revoked socket', () => socket.closeCodes.includes(CLOSE_CODES.unauthorized), 10_000);
  });

  it('a role changed on A turns B’s open socket read-only; a removal on B closes a socket on A', async () => {
    const owner = new HttpUser(nodeA.url, 'owner');
    const roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Roles', displayName: 'Olive' })).body.room.roomId;
    const token = (await owner.json<{ token: string }>('POST', `/api/rooms/${roomId}/invites`, { role: 'artist', ttlHours: 1 })).body.token;
    const artist = new HttpUser(nodeB.url, 'artist');
    const joined = await artist.json<{ member: { userId: string } }>('POST', `/api/invites/${token}/join`, { displayName: 'Art' });
    expect(joined.status).toBe(200);
    const onB = connectWithCookie(nodeB.url, roomId, artist.cookie);
    const onA = connectWithCookie(nodeA.url, roomId, artist.cookie);
    sockets.push(onB, onA);
    await Promise.all([whenSocketSynced(onB), whenSocketSynced(onA)]);

    const userId = (await owner.json<{ members: Array<{ userId: string; role: string }> }>('GET', `/api/rooms/${roomId}/members`)).body.members.find((m) => m.role === 'artist')!.userId;
    expect((await owner.json('PATCH', `/api/rooms/${roomId}/members/${userId}`, { role: 'listener' })).status).toBe(200);
    await waitFor('B tells its socket it is read-only', () => onB.notices.includes('listener'), 10_000);

    // The owner signs in on B too (same cookie: sessions are shared) and removes the member there.
    const ownerOnB = new HttpUser(nodeB.url, 'owner-b');
    ownerOnB.cookie = owner.cookie;
    expect((await ownerOnB.json('DELETE', `/api/rooms/${roomId}/members/${userId}`)).status).toBe(200);
    await waitFor('A closes its socket of the removed member', () => onA.closeCodes.includes(CLOSE_CODES.unauthorized), 10_000);
  });

  it('a node cut off from Redis or from the auth database is not ready, and names which to the metrics token only; it is again once they return', async () => {
    // What Caddy sees: ready or not, nothing more.
    const publicReadiness = async (node: TestMixroom) => {
      const res = await fetch(`${node.url}/readyz`);
      return { status: res.status, body: (await res.json()) as { ready: boolean; failing?: string[] } };
    };
    const readiness = async (node: TestMixroom) => {
      const res = await fetch(`${node.url}/readyz`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      return { status: res.status, body: (await res.json()) as { ready: boolean; failing?: string[] } };
    };
    const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    expect(await readiness(nodeA)).toEqual({ status: 200, body: { ready: true, failing: [] } });
    expect(await publicReadiness(nodeA)).toEqual({ status: 200, body: { ready: true } });

    // A Redis that hangs (stopped, its sockets still open: every connection still says 'ready')
    // fails the PING within the short timeout.
    redis.child.kill('SIGSTOP');
    try {
      await until('A names a hung redis', async () => (await readiness(nodeA)).body.failing?.includes('redis') === true, 15_000);
      expect(await publicReadiness(nodeB)).toEqual({ status: 503, body: { ready: false } });
    } finally {
      redis.child.kill('SIGCONT');
    }
    await until('A ready again after the hang', async () => (await readiness(nodeA)).status === 200, 20_000);

    await redis.crash();
    await until('A names redis', async () => (await readiness(nodeA)).body.failing?.includes('redis') === true, 15_000);
    expect(await readiness(nodeB)).toMatchObject({ status: 503, body: { ready: false, failing: ['redis'] } });
    // Anyone else only learns that it is not ready.
    expect(await publicReadiness(nodeB)).toEqual({ status: 503, body: { ready: false } });
    const wrongToken = await fetch(`${nodeB.url}/readyz`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(await wrongToken.json()).toEqual({ ready: false });
    await redis.restart();
    await until('A ready again after Redis', async () => (await readiness(nodeA)).status === 200, 20_000);

    await pg.shutdown();
    await until('B names the auth store', async () => (await readiness(nodeB)).body.failing?.includes('auth-store') === true, 15_000);
    await pg.restart();
    await until('B ready again after PostgreSQL', async () => (await readiness(nodeB)).status === 200, 30_000);
    // Each node's listener reconnects on its own backoff (up to 5 s): A may come back later than B.
    await until('A ready again after PostgreSQL', async () => (await readiness(nodeA)).status === 200, 30_000);
    expect(await publicReadiness(nodeA)).toEqual({ status: 200, body: { ready: true } });
  }, 120_000);
});
