import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { connectClient, joinOpenRoom, waitFor, whenSynced, type TestClient } from '../integration/syncHarness.ts';
import { parsePrometheusText } from './parsePrometheusText.ts';

/** `/metrics` of the whole product: protected, well-formed, and the numbers follow what happens. */
const TOKEN = randomBytes(24).toString('hex');
let node: TestMixroom;
let open: TestMixroom;
const clients: TestClient[] = [];

beforeAll(async () => {
  node = await startTestMixroom({ env: { METRICS_TOKEN: TOKEN, OPEN_ROOMS: 'metered' } });
  open = await startTestMixroom({ env: { OPEN_ROOMS: 'metered' } });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await node?.close();
  await open?.close();
});

const scrape = async (auth = `Bearer ${TOKEN}`) => fetch(`${node.url}/metrics`, { headers: { authorization: auth } });

describe('/metrics', () => {
  it('is not served without a token, refuses a wrong one, and serves Prometheus text that follows rooms, sockets and relays', async () => {
    expect((await fetch(`${open.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${node.url}/metrics`)).status).toBe(401);
    expect((await scrape('Bearer wrong')).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);

    const before = parsePrometheusText(await (await scrape()).text());
    expect(before.value('mixroom_sync_sockets')).toBe(0);
    expect(before.types.get('mixroom_relay_seconds')).toBe('histogram');
    expect(before.types.get('mixroom_bake_seconds')).toBe('histogram');
    expect(before.types.get('mixroom_redis_errors_total')).toBe('counter');
    expect(before.types.get('mixroom_s3_errors_total')).toBe('counter');
    expect(before.has('mixroom_process_resident_memory_bytes')).toBe(true);

    const cookie = await joinOpenRoom(node.url, 'metered');
    const writer = connectClient(node.url, 'metered', {}, { cookie });
    const reader = connectClient(node.url, 'metered', {}, { cookie });
    clients.push(writer, reader);
    await Promise.all([whenSynced(writer), whenSynced(reader)]);
    for (let i = 0; i < 25; i++) writer.doc.getMap('m').set(`k${i}`, i);
    await waitFor('relayed', () => reader.doc.getMap('m').size === 25);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = parsePrometheusText(await res.text());
    expect(after.value('mixroom_sync_sockets')).toBe(2);
    expect(after.value('mixroom_rooms_loaded')).toBeGreaterThanOrEqual(1);
    const relayed = after.value('mixroom_relay_seconds_count') - before.value('mixroom_relay_seconds_count');
    expect(relayed).toBeGreaterThanOrEqual(25);
    // Every relay is durable first: under the histogram's top bucket, counted in +Inf.
    expect(after.value('mixroom_relay_seconds_bucket', { le: '+Inf' })).toBe(after.value('mixroom_relay_seconds_count'));
    expect(after.value('mixroom_bake_queue_depth', { state: 'waiting' })).toBe(0);
    expect(after.samples.every((s) => s.labels.node !== undefined)).toBe(true);
  });

  it('every response names its request id; a proxy’s plain id is kept, anything else replaced', async () => {
    const own = await fetch(`${node.url}/healthz`);
    expect(own.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const kept = await fetch(`${node.url}/healthz`, { headers: { 'x-request-id': 'caddy-0123456789abcdef' } });
    expect(kept.headers.get('x-request-id')).toBe('caddy-0123456789abcdef');
    const replaced = await fetch(`${node.url}/healthz`, { headers: { 'x-request-id': 'bad id! <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const failed = await fetch(`${node.url}/api/rooms/nosuchroom/me`);
    expect(failed.status).toBe(401);
    expect(failed.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
