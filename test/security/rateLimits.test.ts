import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@mixroom/shared/protocol';
import { HttpUser } from '../integration/reviewHarness.ts';
import { probeSocket, startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/**
 * Floods: room creation, joins, upload starts, bakes and sockets, each limited per user and
 * per IP. The product runs with TRUST_PROXY=1, as behind Caddy, so each test "machine" is an
 * X-Forwarded-For address.
 */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture({
    env: {
      TRUST_PROXY: '1',
      RATE_ROOMS: '5/1h,8/1h',
      RATE_JOINS: '3/10m,6/10m',
      RATE_UPLOADS: '3/1h,100/1h',
      RATE_BAKES: '2/1h,100/1h',
      MAX_SOCKETS_PER_USER: '4',
      MAX_QUEUED_BAKES_PER_ROOM: '50',
    },
  });
});
afterAll(() => fx?.close());

const from = (ip: string) => ({ 'x-forwarded-for': `10.9.9.9, ${ip}` }); // the proxy appended `ip`

async function createRoom(user: HttpUser, ip: string): Promise<Response> {
  return user.request('POST', '/api/rooms', { title: 'Flood', displayName: 'F' }, from(ip));
}

function expect429(res: Response, windowSeconds: number): void {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

describe('room creation flood', () => {
  it('one address gets 8 rooms, then 429 with Retry-After; other addresses and sessions are unaffected', async () => {
    // 40 at once from fresh visitors of one address (no session: only the IP limit applies).
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => createRoom(new HttpUser(fx.product.url, `bot${i}`), '203.0.113.7')));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(8);
    expect(statuses.filter((s) => s === 429)).toHaveLength(32);
    for (const res of results.filter((r) => r.status === 429)) {
      expect429(res, 3600);
      expect(await res.json()).toMatchObject({ error: { code: 'rate-limited' } });
    }
    // A legitimate user elsewhere creates a room as usual.
    const legit = new HttpUser(fx.product.url, 'legit');
    expect((await createRoom(legit, '198.51.100.20')).status).toBe(201);
  });

  it('one session gets 5 rooms whatever address it comes from; another session on the same address is fine', async () => {
    const user = new HttpUser(fx.product.url, 'roamer');
    for (let i = 0; i < 5; i += 1) expect((await createRoom(user, `192.0.2.${i + 1}`)).status).toBe(201);
    expect429(await createRoom(user, '192.0.2.99'), 3600);
    expect((await createRoom(new HttpUser(fx.product.url, 'neighbour'), '192.0.2.99')).status).toBe(201);
  });
});

describe('join flood', () => {
  it('invite joins and open-room joins share a per-user and per-IP limit', async () => {
    const invite = await fx.owner.json<{ token: string }>('POST', fx.api('/invites'), { role: 'listener', ttlHours: 24, uses: 'multi' });
    const joiner = new HttpUser(fx.product.url, 'joiner');
    const join = (user: HttpUser, ip: string) => user.request('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'J' }, from(ip));
    for (let i = 0; i < 3; i += 1) expect((await join(joiner, `198.18.0.${i + 1}`)).status).toBe(200);
    expect429(await join(joiner, '198.18.0.50'), 600);
    expect429(await joiner.request('POST', '/api/rooms/demo/join', { displayName: 'J', role: 'listener' }, from('198.18.0.51')), 600);
    // Per IP: six fresh visitors from one address, the seventh refused.
    for (let i = 0; i < 6; i += 1) expect((await join(new HttpUser(fx.product.url, `v${i}`), '198.18.1.1')).status).toBe(200);
    expect429(await join(new HttpUser(fx.product.url, 'v7'), '198.18.1.1'), 600);
  });
});

describe('upload starts and bakes', () => {
  it('are limited per user: 429 with Retry-After past the limit, another user unaffected', async () => {
    const ip = '198.19.0.1';
    for (let i = 0; i < 3; i += 1) {
      expect((await fx.owner.request('POST', fx.api('/stems/uploads'), { fileName: `s${i}.wav`, size: 1000 }, from(ip))).status).toBe(201);
    }
    const refused = await fx.owner.request('POST', fx.api('/stems/uploads'), { fileName: 'x.wav', size: 1000 }, from(ip));
    expect429(refused, 3600);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate-limited' } });
    const engineer = await fx.member('engineer', 'eng-uploads');
    expect((await engineer.request('POST', fx.api('/stems/uploads'), { fileName: 'e.wav', size: 1000 }, from(ip))).status).toBe(201);

    for (let i = 0; i < 2; i += 1) expect((await fx.owner.request('POST', fx.api('/versions'), { name: `v${i}` }, from(ip))).status).toBe(201);
    expect429(await fx.owner.request('POST', fx.api('/versions'), { name: 'v3' }, from(ip)), 3600);
    expect((await engineer.request('POST', fx.api('/versions'), { name: 'by engineer' }, from(ip))).status).toBe(201);
    await fx.product.review.bakesIdle();
  });
});

describe('socket flood', () => {
  it('one user holds at most 4 sockets (4429 past it); other users connect; a closed socket frees its place', async () => {
    const user = await fx.member('listener', 'sockets');
    const held = await Promise.all(Array.from({ length: 4 }, () => openHeld(fx.product.url, fx.roomId, user.cookie)));
    expect(held.every((h) => h.synced)).toBe(true);
    const extra = await probeSocket(fx.product.url, fx.roomId, { cookie: user.cookie });
    expect(extra).toEqual({ code: CLOSE_CODES.tooManyConnections, reason: 'too many connections for this user' });
    expect((await probeSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie })).code).toBe('synced');
    held[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await probeSocket(fx.product.url, fx.roomId, { cookie: user.cookie })).code).toBe('synced');
    for (const h of held) h.close();
  });
});

async function openHeld(url: string, roomId: string, cookie: string): Promise<{ synced: boolean; close(): void }> {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${roomId}`, { headers: { cookie } });
  const synced = await new Promise<boolean>((resolve) => {
    ws.once('message', () => resolve(true));
    ws.once('close', () => resolve(false));
  });
  return { synced, close: () => ws.close() };
}
