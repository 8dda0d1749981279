import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNode, type NodeProcess } from '../cluster/spawnNode.ts';
import { connectClient, joinOpenRoom, makeTempDir, waitFor, whenSynced, type TestClient } from '../integration/syncHarness.ts';

/**
 * SIGTERM on a real `server/src/main.ts` process: readiness turns false and new sockets are
 * refused at once, open sockets keep working through DRAIN_DELAY_MS, then every room is
 * flushed, sockets are closed with 1001, and the process exits 0 with nothing lost.
 */
const ROOM = 'drain-room';
let dir: Awaited<ReturnType<typeof makeTempDir>>;
const processes: NodeProcess[] = [];
const clients: TestClient[] = [];

function startNode(): NodeProcess {
  const node = spawnNode('server/src/main.ts', 'node', {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dir.path, 'data'),
    S3_DATA_DIR: join(dir.path, 's3'),
    S3_EMBEDDED_PORT: '0',
    CLIENT_DIST_DIR: join(dir.path, 'no-client'),
    OPEN_ROOMS: ROOM,
    DRAIN_DELAY_MS: '1500',
    LOG_LEVEL: 'debug',
    METRICS_TOKEN: randomBytes(16).toString('hex'),
  });
  processes.push(node);
  return node;
}

beforeAll(async () => {
  dir = await makeTempDir('mixroom-drain-');
});
afterAll(async () => {
  for (const c of clients) c.provider.destroy();
  await Promise.all(processes.map((p) => p.kill9()));
  await dir.remove();
});

const urlOf = async (node: NodeProcess) => String((await node.waitForLine((l) => l.msg === 'server listening')).url);

describe('drain on SIGTERM', () => {
  it('readiness false and new sockets refused at once; open sockets served through the delay, flushed, closed 1001; exit 0; nothing lost', async () => {
    const node = startNode();
    const url = await urlOf(node);
    const cookie = await joinOpenRoom(url, ROOM);
    const writer = connectClient(url, ROOM, {}, { cookie });
    const observer = connectClient(url, ROOM, {}, { cookie });
    clients.push(writer, observer);
    await Promise.all([whenSynced(writer), whenSynced(observer)]);
    const closes: Record<string, number[]> = { writer: [], observer: [] };
    writer.provider.on('connection-close', (e) => e && closes.writer!.push(e.code));
    observer.provider.on('connection-close', (e) => e && closes.observer!.push(e.code));
    // Once the socket closes, no reconnects: this test is about what the node did.
    writer.provider.on('connection-close', () => void (writer.provider.shouldConnect = false));
    observer.provider.on('connection-close', () => void (observer.provider.shouldConnect = false));

    const seen = new Set<string>();
    observer.doc.getMap('m').observe((event) => {
      for (const key of event.keysChanged) seen.add(key);
    });
    let n = 0;
    const writing = setInterval(() => {
      if (writer.provider.wsconnected) writer.doc.getMap('m').set(`k${++n}`, n);
    }, 5);
    await waitFor('some writes relayed', () => seen.size >= 20);
    const writtenBeforeTerm = n;

    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const termAt = Date.now();
    node.child.kill('SIGTERM');
    await waitFor('readiness false', () => node.lines.some((l) => l.msg === 'draining'), 5000);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // A new socket is refused with 503 (the client retries elsewhere through the balancer).
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/sync/${ROOM}`, { headers: { cookie, origin: url } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(503);
    // Open sockets still relay during the delay.
    const duringDelay = n;
    await waitFor('relayed during the delay', () => seen.has(`k${duringDelay}`), 1000);

    expect(await node.exited).toBe(0);
    clearInterval(writing);
    expect(Date.now() - termAt).toBeGreaterThanOrEqual(1500);
    expect(closes.writer).toEqual([1001]);
    expect(closes.observer).toEqual([1001]);
    // Flushed before the close: the node logged its rooms closed after the drain began.
    const order = node.lines.map((l) => l.msg);
    expect(order.indexOf('draining')).toBeLessThan(order.indexOf('server closed'));

    // Everything survives: a fresh node on the same data has every relayed key and every
    // key written before SIGTERM.
    const again = startNode();
    const url2 = await urlOf(again);
    const reader = connectClient(url2, ROOM, {}, { cookie });
    clients.push(reader);
    await whenSynced(reader);
    const stored = reader.doc.getMap('m');
    for (const key of seen) expect(stored.has(key), key).toBe(true);
    for (let i = 1; i <= writtenBeforeTerm; i++) expect(stored.has(`k${i}`), `k${i}`).toBe(true);
    expect(seen.size).toBeGreaterThan(writtenBeforeTerm);

    // Structured logs carry the request and room ids: the join request's line and the
    // sync upgrade's room load.
    const join = node.lines.find((l) => l.msg === 'request' && l.path === `/api/rooms/${ROOM}/join`);
    expect(join).toMatchObject({ roomId: ROOM, method: 'POST', status: 200 });
    expect(String(join!.requestId)).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const loaded = node.lines.find((l) => l.msg === 'room loaded' && l.roomId === ROOM);
    expect(String(loaded?.requestId)).toMatch(/^[A-Za-z0-9_-]{12}$/);
    await again.terminate();
  });
});
