import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterBackends, type ClusterBackends } from '../cluster/startClusterBackends.ts';
import type { TestRedis } from '../cluster/startRedisServer.ts';
import { spawnNode, type NodeProcess } from '../cluster/spawnNode.ts';
import { freePort, startCaddy, type RunningCaddy } from '../e2e/startCaddy.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { ClientFrameLog } from './ClientFrameLog.ts';
import { parsePrometheusText } from './parsePrometheusText.ts';

/**
 * The deployment of infra/: two cluster nodes (`server/src/main.ts` processes) and a bake
 * worker (`server/src/worker.ts`) on one Redis, PostgreSQL and S3 API, behind Debian's caddy
 * running infra/Caddyfile.cluster over TLS (its local CA). Requests are balanced over both
 * nodes; sockets are hashed on their room path, so one room's sockets meet on one node while
 * rooms spread over both; a node sent SIGTERM is taken out of rotation by the health check
 * before it closes its sockets, no request through Caddy fails meanwhile, its clients reconnect
 * through Caddy to the other node, and it exits 0.
 */
const clusterCaddyfile = fileURLToPath(new URL('../../infra/Caddyfile.cluster', import.meta.url));
const ROOM = 'lobby';
/** Rooms beside ROOM, to show sockets spread by room: all on one node has odds 2/2^12. */
const OTHER_ROOMS = Array.from({ length: 12 }, (_, i) => `room-${i}`);
const METRICS_TOKEN = randomBytes(24).toString('hex');
const DRAIN_DELAY_MS = 4000;

let backends: ClusterBackends;
let tmp: ClusterBackends['tmp'];
let redis: TestRedis;
let caddy: RunningCaddy;
let publicUrl: string;
let env: Record<string, string>;
const nodes: NodeProcess[] = [];
const providers: WebsocketProvider[] = [];
/** What each provider's sockets received, for the message of a wait that timed out. */
const frameLogs = new Map<WebsocketProvider, { room: string; log: ClientFrameLog }>();

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTPS request to Caddy, checking its certificate against Caddy's local CA. */
function viaCaddy(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const url = new URL(path, publicUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: url.port, servername: 'localhost', path: url.pathname, method: init.method ?? 'GET', ca: caddy.caCert, headers: { host: url.host, ...init.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

function startNode(name: string): NodeProcess {
  const node = spawnNode('server/src/main.ts', name, {
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(tmp.path, name),
    CLIENT_DIST_DIR: join(tmp.path, 'no-client'),
    DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
    LOG_LEVEL: 'debug',
    NODE_ID: name,
  });
  nodes.push(node);
  return node;
}

const portOf = async (node: NodeProcess) => Number((await node.waitForLine((l) => l.msg === 'server listening', 120_000)).port);
const requestsSeen = (node: NodeProcess, path: string) => node.lines.filter((l) => l.msg === 'request' && l.path === path).length;

/** A node's own `/metrics` (straight to the node, not through Caddy). */
async function socketsOn(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return parsePrometheusText(await res.text()).value('mixroom_sync_sockets');
}

function connectViaCaddy(cookie: string, room = ROOM): WebsocketProvider {
  const ca = caddy.caCert;
  const origin = publicUrl;
  const log = new ClientFrameLog();
  class CaddyWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ca, headers: { cookie, origin } });
      log.watch(this);
    }
  }
  const provider = new WebsocketProvider(`${publicUrl.replace(/^https/, 'wss')}/sync`, room, new Y.Doc(), {
    WebSocketPolyfill: CaddyWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  providers.push(provider);
  frameLogs.set(provider, { room, log });
  return provider;
}

/**
 * `waitFor`, failing with what each client that does not pass `ok` received and what the
 * nodes logged at warn or above, and about its room: so a flaky failure says whether a frame
 * never came, a socket closed or a room failed to load.
 */
async function waitForClients(what: string, clients: readonly WebsocketProvider[], ok: (p: WebsocketProvider) => boolean, timeoutMs: number): Promise<void> {
  try {
    await waitFor(what, () => clients.every(ok), timeoutMs);
  } catch (error) {
    const stuck = clients.filter((p) => !ok(p));
    const rooms = new Set(stuck.map((p) => frameLogs.get(p)!.room));
    const report = stuck.map((p) => {
      const { room, log } = frameLogs.get(p)!;
      return `client in ${room}: wsconnected=${p.wsconnected} synced=${p.synced} keys=${p.doc.getMap('m').size}: ${log}`;
    });
    const nodeLines = nodes.flatMap((n) =>
      n.lines.filter((l) => l.level === 'warn' || l.level === 'error' || rooms.has(String(l.roomId))).slice(-30).map((l) => `${n.name}: ${JSON.stringify(l)}`),
    );
    throw new Error(`${(error as Error).message}; ${stuck.length} of ${clients.length} clients stuck\n${report.join('\n')}\nnode lines:\n${nodeLines.join('\n')}`);
  }
}

beforeAll(async () => {
  backends = await startClusterBackends('mixroom-caddy-cluster-');
  ({ tmp, redis } = backends);
  const caddyPort = await freePort();
  publicUrl = `https://localhost:${caddyPort}`;
  env = {
    ...backends.env,
    OPEN_ROOMS: [ROOM, ...OTHER_ROOMS].join(','),
    PUBLIC_URL: publicUrl,
    TRUST_PROXY: '1',
    METRICS_TOKEN,
    // One user opens 24 sockets at once (12 rooms, two each). The cap counts per node (16 by
    // default): whenever 9 of the 12 rooms hash to one node, 15% of runs, sockets past it were
    // refused with 4429, which y-websocket takes as final (a failed CI run at a05e728).
    MAX_SOCKETS_PER_USER: String(2 * (OTHER_ROOMS.length + 1)),
  };
  const a = startNode('node-a');
  const b = startNode('node-b');
  const ports = await Promise.all([portOf(a), portOf(b)]);
  caddy = await startCaddy({
    domain: 'localhost',
    httpsPort: caddyPort,
    caddyfile: clusterCaddyfile,
    env: { MIXROOM_NODES: ports.map((p) => `127.0.0.1:${p}`).join(' '), MIXROOM_HEALTH_INTERVAL: '250ms' },
  });
});

afterAll(async () => {
  for (const p of providers) p.destroy();
  await Promise.all(nodes.map((n) => n.kill9()));
  await caddy?.close();
  await backends?.close();
});

describe('infra/Caddyfile.cluster in front of two nodes', () => {
  it('balances requests over both nodes and sockets by room; a draining node leaves rotation before it closes, nothing fails, its sockets move over, it exits 0', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const [portA, portB] = await Promise.all([portOf(a), portOf(b)]);

    // Requests: both nodes serve some, every reply carries Caddy's request id, which the
    // serving node's log line carries too (a client's own id is replaced).
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await viaCaddy('/healthz', { headers: { 'x-request-id': 'forged-by-client-0001' } });
      expect(r.status).toBe(200);
      ids.push(String(r.headers['x-request-id']));
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(30);
    const servedBy = (node: NodeProcess) => node.lines.filter((l) => l.msg === 'request' && ids.includes(String(l.requestId))).length;
    // (log lines arrive through the children's stdout pipes a moment after the replies)
    await waitFor('every request logged by the node that served it', () => servedBy(a) + servedBy(b) >= 30, 10_000);
    expect(servedBy(a) + servedBy(b)).toBe(30);
    expect(servedBy(a)).toBeGreaterThan(0);
    expect(servedBy(b)).toBeGreaterThan(0);

    // A session made through Caddy on one node is good on the other (shared PostgreSQL).
    const joined = await viaCaddy(`/api/rooms/${ROOM}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: publicUrl },
      body: JSON.stringify({ displayName: 'Through Caddy', role: 'engineer' }),
    });
    expect(joined.status).toBe(200);
    const cookie = String((joined.headers['set-cookie'] as string[])[0]).split(';')[0]!;

    // Sockets through Caddy (WebSocket upgrade over TLS) are hashed on `/sync/<room>`: the
    // two sockets of each room reach one node (each node loads the rooms of its sockets, and
    // every room is loaded on exactly one), while the rooms spread over both nodes.
    const roomsOn = (node: NodeProcess) => new Set(node.lines.filter((l) => l.msg === 'room loaded').map((l) => String(l.roomId)));
    for (const room of OTHER_ROOMS) {
      const more = await viaCaddy(`/api/rooms/${room}/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: publicUrl, cookie },
        body: JSON.stringify({ displayName: 'Through Caddy', role: 'engineer' }),
      });
      expect(more.status).toBe(200);
    }
    const pairs = OTHER_ROOMS.map((room) => [connectViaCaddy(cookie, room), connectViaCaddy(cookie, room)] as const);
    await waitForClients('every pair synced through caddy', pairs.flat(), (p) => p.synced, 60_000);
    await waitFor('every room loaded somewhere', () => OTHER_ROOMS.every((r) => roomsOn(a).has(r) || roomsOn(b).has(r)), 10_000);
    for (const room of OTHER_ROOMS) expect(roomsOn(a).has(room) !== roomsOn(b).has(room)).toBe(true);
    const pairsOnA = OTHER_ROOMS.filter((room) => roomsOn(a).has(room)).length;
    expect(pairsOnA).toBeGreaterThan(0);
    expect(pairsOnA).toBeLessThan(OTHER_ROOMS.length);
    expect([await socketsOn(portA), await socketsOn(portB)]).toEqual([2 * pairsOnA, 2 * (OTHER_ROOMS.length - pairsOnA)]);
    // An edit in a room reaches its other socket.
    for (const [x] of pairs) x.doc.getMap('m').set('hello', 1);
    await waitForClients('each pair converged', pairs.map(([, y]) => y), (y) => y.doc.getMap('m').get('hello') === 1, 15_000);
    for (const [x, y] of pairs) {
      x.destroy();
      y.destroy();
    }
    for (let open = 1; open > 0; await new Promise((r) => setTimeout(r, 50))) open = (await socketsOn(portA)) + (await socketsOn(portB));

    // The drained node is the one holding ROOM: all six of its sockets go there.
    const clients = Array.from({ length: 6 }, () => connectViaCaddy(cookie));
    await waitForClients('all synced through caddy', clients, (p) => p.synced, 60_000);
    const onA = await socketsOn(portA);
    const onB = await socketsOn(portB);
    expect(onA + onB).toBe(6);
    expect([0, 6]).toContain(onA);
    const [drained, kept] = onA === 6 ? [a, b] : [b, a];
    const keptPort = onA === 6 ? portB : portA;
    // One room on one node: an edit on any socket reaches all.
    clients[0]!.doc.getMap('m').set('before-drain', 1);
    await waitForClients('edit relayed', clients, (p) => p.doc.getMap('m').get('before-drain') === 1, 15_000);
    const closeCodes: number[] = [];
    for (const p of clients) p.on('connection-close', (e) => e && closeCodes.push(e.code));

    // SIGTERM the node holding ROOM while requests keep arriving through Caddy.
    let failures = 0;
    let sent = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const r = await viaCaddy('/healthz').catch(() => ({ status: 0 }) as Reply);
        sent++;
        if (r.status !== 200) failures++;
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    // Every client keeps writing through the drain (y-websocket resends what a socket missed).
    let written = 0;
    const writing = setInterval(() => {
      const p = clients[written % clients.length]!;
      p.doc.getMap('m').set(`w${++written}`, written);
    }, 15);
    const termAt = Date.now();
    drained.child.kill('SIGTERM');
    await drained.waitForLine((l) => l.msg === 'draining', 10_000);
    // Four health intervals later Caddy sends nothing new to it, although it still runs.
    await new Promise((res) => setTimeout(res, 1000));
    const drainedBefore = requestsSeen(drained, '/healthz');
    const keptBefore = requestsSeen(kept, '/healthz');
    for (let i = 0; i < 20; i++) expect((await viaCaddy('/healthz')).status).toBe(200);
    // (plus the background poll's)
    await waitFor('the kept node logged all 20', () => requestsSeen(kept, '/healthz') >= keptBefore + 20, 10_000);
    expect(requestsSeen(drained, '/healthz')).toBe(drainedBefore);
    expect(drained.child.exitCode).toBeNull();

    // It closes its sockets (1001) after the delay and exits 0; its clients come back
    // through Caddy, all on the kept node.
    expect(await drained.exited).toBe(0);
    expect(Date.now() - termAt).toBeGreaterThanOrEqual(DRAIN_DELAY_MS);
    expect(closeCodes.length).toBe(6);
    expect(closeCodes.every((c) => c === 1001)).toBe(true);
    await waitForClients('every client back, on the kept node', clients, (p) => p.wsconnected && p.synced, 30_000);
    expect(await socketsOn(keptPort)).toBe(6);
    polling = false;
    await poll;
    expect(sent).toBeGreaterThan(20);
    expect(failures).toBe(0);

    // Nothing written during the drain is lost, and everyone converges (all on the kept node now). A
    // client that moved may send edits building on what the drained node relayed before the
    // kept one read it from the room's stream: it waits for it instead of refusing the client (4422, final for y-websocket).
    clearInterval(writing);
    clients[3]!.doc.getMap('m').set('after-drain', 1);
    await waitForClients('edit relayed to all', clients, (p) => p.doc.getMap('m').get('after-drain') === 1, 15_000);
    await waitForClients('every write everywhere', clients, (p) => p.doc.getMap('m').size === written + 2, 15_000);
    const entries = (p: WebsocketProvider) => [...p.doc.getMap('m').entries()].sort(([x], [y]) => (x < y ? -1 : 1));
    for (const p of clients) expect(entries(p)).toEqual(entries(clients[0]!));
    for (let i = 1; i <= written; i++) expect(clients[0]!.doc.getMap('m').get(`w${i}`)).toBe(i);
    expect(written).toBeGreaterThan(100);
    expect(closeCodes.filter((c) => c !== 1001)).toEqual([]);
  });

  it('a bake worker has its own health, readiness and metrics, and exits 0 on SIGTERM', async () => {
    const worker = spawnNode('server/src/worker.ts', 'worker', { ...env, PORT: '0', HOST: '127.0.0.1', NODE_ID: 'worker-1' });
    nodes.push(worker);
    const ops = String((await worker.waitForLine((l) => l.msg === 'worker ops listening', 120_000)).url);
    expect((await fetch(`${ops}/healthz`)).status).toBe(200);
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    const readyz = (token?: string) => fetch(`${ops}/readyz`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect(await (await readyz(METRICS_TOKEN)).json()).toEqual({ ready: true, failing: [] });
    // A hung Redis (stopped, sockets open) fails the worker's PING within the readiness timeout;
    // only the token learns which.
    redis.child.kill('SIGSTOP');
    try {
      let named: unknown = null;
      for (let i = 0; i < 100 && named === null; i++) {
        const r = await readyz(METRICS_TOKEN);
        if (r.status === 503) named = await r.json();
        else await new Promise((res) => setTimeout(res, 100));
      }
      expect(named).toEqual({ ready: false, failing: ['redis'] });
      const plain = await readyz();
      expect([plain.status, await plain.json()]).toEqual([503, { ready: false }]);
    } finally {
      redis.child.kill('SIGCONT');
    }
    for (let i = 0; i < 100 && (await readyz()).status !== 200; i++) await new Promise((res) => setTimeout(res, 100));
    expect((await readyz()).status).toBe(200);
    expect((await fetch(`${ops}/metrics`)).status).toBe(401);
    expect((await fetch(`${ops}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const scraped = await fetch(`${ops}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    const metrics = parsePrometheusText(await scraped.text());
    expect(metrics.types.get('mixroom_bake_seconds')).toBe('histogram');
    expect(metrics.types.get('mixroom_redis_errors_total')).toBe('counter');
    expect(metrics.samples.filter((s) => s.name === 'mixroom_bake_seconds_count').every((s) => s.labels.node === 'worker-1')).toBe(true);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.lines.some((l) => l.msg === 'worker stopped')).toBe(true);
  });
});
