import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { parseConfig } from '../config/Config.ts';
import { createJsonLogger } from '../log/Logger.ts';
import { LocalRoomStore } from '../sync/persistence/LocalRoomStore.ts';
import { RoomRegistry } from '../sync/RoomRegistry.ts';
import { ApiError } from './ApiError.ts';
import { createApp } from './createApp.ts';
import { createReadiness } from '../metrics/createReadiness.ts';
import type { ServerServices } from './ServerServices.ts';

let dir: string;
let services: ServerServices;
let store: LocalRoomStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mixroom-app-'));
  await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
  await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><title>Mixroom</title>');
  await writeFile(join(dir, 'dist', 'assets', 'app.js'), 'console.log(1)');
  const config = parseConfig({ DATA_DIR: join(dir, 'data') });
  const logger = createJsonLogger('error', () => undefined);
  store = new LocalRoomStore(config.dataDir, logger);
  const rooms = new RoomRegistry({
    store,
    initRoom: () => undefined,
    logger,
    idleUnloadMs: 0,
    compactLogBytes: 1 << 20,
  });
  services = { config, logger, rooms, docs: rooms, publicUrl: () => 'http://localhost:8787' };
});
afterAll(async () => {
  await services.rooms.close();
  await store.stop();
  await rm(dir, { recursive: true, force: true });
});

const alwaysReady = createReadiness({ probes: {}, draining: () => false, timeoutMs: 1000, maxAgeMs: 0 });

describe('createApp', () => {
  it('answers liveness always and readiness only when nothing is missing, naming what only to the metrics token', async () => {
    let draining = true;
    let redisUp = false;
    const readiness = createReadiness({
      probes: { redis: async () => void (redisUp || (await Promise.reject(new Error('down')))) },
      draining: () => draining,
      timeoutMs: 1000,
      maxAgeMs: 0,
    });
    const token = 'readiness-token-0123456789';
    const app = createApp({ services: { ...services, config: { ...services.config, metricsToken: token } }, readiness, routes: [], clientDistDir: null });
    const withToken = { headers: { authorization: `Bearer ${token}` } };
    expect((await app.request('/healthz')).status).toBe(200);
    const down = await app.request('/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false });
    expect(await (await app.request('/readyz', withToken)).json()).toEqual({ ready: false, failing: ['draining'] });
    draining = false;
    expect(await (await app.request('/readyz', withToken)).json()).toEqual({ ready: false, failing: ['redis'] });
    expect(await (await app.request('/readyz', { headers: { authorization: `Bearer ${token}x` } })).json()).toEqual({ ready: false });
    redisUp = true;
    const up = await app.request('/readyz');
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ready: true });
  });

  it('mounts module routes ahead of the client, and serves the client with an SPA fallback', async () => {
    const stems = new Hono().get('/', (c) => c.json({ room: c.req.param('room') ?? null }));
    const app = createApp({
      services,
      readiness: alwaysReady,
      routes: [(a) => void a.route('/api/rooms/:room/stems', stems)],
      clientDistDir: join(dir, 'dist'),
    });
    expect(await (await app.request('/api/rooms/abc/stems')).json()).toEqual({ room: 'abc' });
    expect(await (await app.request('/')).text()).toContain('<title>Mixroom</title>');
    expect(await (await app.request('/assets/app.js')).text()).toBe('console.log(1)');
    const room = await app.request('/room/some-room');
    expect(room.status).toBe(200);
    expect(await room.text()).toContain('<title>Mixroom</title>');
    expect((await app.request('/nope.js')).status).toBe(404);
  });

  it('serves no client routes when the client is not built', async () => {
    const app = createApp({ services, readiness: alwaysReady, routes: [], clientDistDir: join(dir, 'missing') });
    expect((await app.request('/')).status).toBe(404);
    expect((await app.request('/room/x')).status).toBe(404);
  });

  it('answers every refusal and every failure in the one ApiErrorBody shape', async () => {
    const routes = new Hono()
      .get('/refused', () => {
        throw new ApiError('busy', 'Too many bakes in this room.', { status: 429, headers: { 'retry-after': '30' } });
      })
      .get('/gone', () => {
        throw new ApiError('invite-expired', 'This invite link has expired');
      })
      .get('/bug', () => {
        throw new TypeError('undefined is not a function');
      });
    const app = createApp({ services, readiness: alwaysReady, routes: [(a) => void a.route('/api', routes)], clientDistDir: null });
    const refused = await app.request('/api/refused');
    expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([429, '30', { error: { code: 'busy', message: 'Too many bakes in this room.' } }]);
    const gone = await app.request('/api/gone');
    expect([gone.status, await gone.json()]).toEqual([410, { error: { code: 'invite-expired', message: 'This invite link has expired' } }]);
    const bug = await app.request('/api/bug');
    expect(bug.status).toBe(500);
    expect(bug.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await bug.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.message).not.toContain('undefined is not a function'); // no internals leak
  });
});
