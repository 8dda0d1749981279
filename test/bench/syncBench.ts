import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { joinOpenRoom, serverProcessEnv, webSocketWithCookie } from '../integration/syncHarness.ts';
import { percentile } from './percentile.ts';
import { readProcessUsage, type ProcessUsage } from './processUsage.ts';

/**
 * Sync fan-out: N real y-websocket@3 clients in M rooms on loopback; every client commits its
 * own fader at RATE Hz for SECONDS. Measures, for our server and for the y-websocket 2.x
 * reference server on the same load in the same run: fan-out latency (a writer's commit to
 * another client's observer), delivered updates/s, and server CPU time and RSS (from /proc).
 * Our server fsyncs every update to its log before relaying; the reference keeps rooms only
 * in memory, so the ratios show the price of durability. "mixroom sync" is createServer alone
 * (what the reference also is); "mixroom full" is server/src/main.ts with auth, embedded S3,
 * stems and review wired in, its bench rooms opened through OPEN_ROOMS.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CLIENTS = env('BENCH_SYNC_CLIENTS', 40);
const ROOMS = env('BENCH_SYNC_ROOMS', 10);
const RATE_HZ = env('BENCH_SYNC_RATE_HZ', 20);
const SECONDS = env('BENCH_SYNC_SECONDS', 8);
const WARMUP_MS = 1000;

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface ServerUnderTest {
  readonly name: string;
  readonly start: (port: number, dataDir: string) => ChildProcess;
  /** Base URL the WebsocketProvider appends `/<room>` to. */
  readonly wsUrl: (port: number) => string;
  /** Session cookie granting every bench room, when the server checks who connects. */
  readonly join?: (port: number) => Promise<string>;
  /** A stdout line that says boot-time work is over; measuring starts after it. */
  readonly readyLine?: string;
}

const ROOM_IDS = Array.from({ length: ROOMS }, (_, i) => `bench-${i}`);

const SERVERS: ServerUnderTest[] = [
  {
    name: 'mixroom sync',
    start: (port, dataDir) =>
      spawn(process.execPath, ['--import', 'tsx', 'test/bench/syncServerProcess.ts'], {
        cwd: repoRoot,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    wsUrl: (port) => `ws://127.0.0.1:${port}/sync`,
  },
  {
    name: 'mixroom full',
    start: (port, dataDir) =>
      spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
        cwd: repoRoot,
        // The full product server (auth, embedded S3, review); bench rooms are open rooms.
        // Every bench client is one user (one cookie): lift the per-user socket cap and join rate.
        env: serverProcessEnv(dataDir, {
          PORT: String(port),
          OPEN_ROOMS: ROOM_IDS.join(','),
          LOG_LEVEL: 'info',
          MAX_SOCKETS_PER_USER: String(CLIENTS * 3 + 20),
          RATE_JOINS: `${ROOMS + 100}/1h,${ROOMS + 100}/1h`,
        }),
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    // Boot synthesises and uploads the demo room's stems: seconds of CPU that are not sync.
    readyLine: '"msg":"demo room ready"',
    wsUrl: (port) => `ws://127.0.0.1:${port}/sync`,
    join: async (port) => {
      let cookie: string | undefined;
      for (const room of ROOM_IDS) cookie = await joinOpenRoom(`http://127.0.0.1:${port}`, room, cookie);
      return cookie!;
    },
  },
  {
    name: 'y-websocket 2.1.0',
    start: (port) =>
      spawn(process.execPath, [fileURLToPath(new URL('./refSyncServer.cjs', import.meta.url))], {
        cwd: join(repoRoot, 'test'),
        env: { ...process.env, PORT: String(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    wsUrl: (port) => `ws://127.0.0.1:${port}`,
  },
];

interface Result {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
  readonly deliveredPerSec: number;
  readonly committedPerSec: number;
  readonly cpuMs: number;
  readonly usage: ProcessUsage;
  /** Median time for a new client to sync a room after the session (late joiner). */
  readonly lateJoinMs: number;
  readonly roomUpdates: number;
}

export async function run({ signal }: { signal: AbortSignal }): Promise<void> {
  console.log(
    `${CLIENTS} clients in ${ROOMS} rooms, each committing a fader at ${RATE_HZ} Hz for ${SECONDS} s (loopback)`,
  );
  // Each y-websocket provider registers a process 'exit' listener.
  process.setMaxListeners(CLIENTS + 20);
  const results: Result[] = [];
  for (const server of SERVERS) {
    signal.throwIfAborted();
    results.push(await measure(server, signal));
  }
  const row = (r: Result) =>
    [
      r.name.padEnd(18),
      `p50 ${r.p50.toFixed(2)} ms`.padEnd(16),
      `p99 ${r.p99.toFixed(2)} ms`.padEnd(16),
      `${Math.round(r.deliveredPerSec)} delivered/s`.padEnd(20),
      `${Math.round(r.committedPerSec)} commits/s`.padEnd(18),
      `CPU ${Math.round(r.cpuMs)} ms (${((r.cpuMs / (SECONDS * 1000)) * 100).toFixed(1)}% of a core)`.padEnd(32),
      `RSS ${(r.usage.rssBytes / 2 ** 20).toFixed(1)} MiB (peak ${(r.usage.peakRssBytes / 2 ** 20).toFixed(1)})`.padEnd(30),
      `late join ${r.lateJoinMs.toFixed(1)} ms (~${r.roomUpdates} updates in the room)`,
    ].join(' ');
  for (const r of results) console.log(row(r));
  const ref = results[results.length - 1]!;
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  for (const ours of results.slice(0, -1)) {
    console.log(
      `ratio ${ours.name} / ${ref.name}: p50 x${ratio(ours.p50, ref.p50)}, p99 x${ratio(ours.p99, ref.p99)}, ` +
        `delivered/s x${ratio(ours.deliveredPerSec, ref.deliveredPerSec)}, ` +
        `CPU per delivered update x${ratio(ours.cpuMs / ours.deliveredPerSec, ref.cpuMs / ref.deliveredPerSec)}, ` +
        `RSS x${ratio(ours.usage.rssBytes, ref.usage.rssBytes)}, ` +
        `late join x${ratio(ours.lateJoinMs, ref.lateJoinMs)}`,
    );
  }
  console.log(`(machine load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}

async function measure(server: ServerUnderTest, signal: AbortSignal): Promise<Result> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mixroom-bench-'));
  const port = await freePort();
  const child = server.start(port, dataDir);
  const clients: Array<{ doc: Y.Doc; provider: WebsocketProvider }> = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const booted = server.readyLine ? waitForLine(child, server.readyLine) : Promise.resolve();
    await waitForPort(port, child, signal);
    await Promise.race([booted, sleep(180_000, signal)]);
    const cookie = await server.join?.(port);
    const WebSocketClass = cookie === undefined ? WebSocket : webSocketWithCookie(cookie);
    const latencies: number[] = [];
    let measuring = false;
    let delivered = 0;
    let committed = 0;
    let totalCommits = 0;
    for (let i = 0; i < CLIENTS; i++) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(server.wsUrl(port), ROOM_IDS[i % ROOMS]!, doc, {
        WebSocketPolyfill: WebSocketClass as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      const faders = doc.getMap<[number, number]>('faders');
      faders.observe((event) => {
        if (event.transaction.local || !measuring) return;
        const now = performance.now();
        for (const key of event.keysChanged) {
          const value = faders.get(key);
          if (value) {
            latencies.push(now - value[0]);
            delivered += 1;
          }
        }
      });
      clients.push({ doc, provider });
    }
    await until(() => clients.every((c) => c.provider.synced), 30_000, signal);

    // Each client commits at RATE_HZ, its phase spread over the period so load is even.
    const periodMs = 1000 / RATE_HZ;
    const tickMs = 5;
    let tick = 0;
    const lastSlot = new Array<number>(clients.length).fill(-1);
    timer = setInterval(() => {
      tick += 1;
      const now = performance.now();
      for (let i = 0; i < clients.length; i++) {
        const slot = Math.floor((now + (i * periodMs) / clients.length) / periodMs);
        if (lastSlot[i] === slot) continue;
        lastSlot[i] = slot;
        clients[i]!.doc.getMap<[number, number]>('faders').set(`f${i}`, [performance.now(), -((tick % 600) / 10)]);
        totalCommits += 1;
        if (measuring) committed += 1;
      }
    }, tickMs);
    await sleep(WARMUP_MS, signal);
    const before = await readProcessUsage(child.pid!);
    measuring = true;
    const started = performance.now();
    await sleep(SECONDS * 1000, signal);
    measuring = false;
    const elapsedS = (performance.now() - started) / 1000;
    const after = await readProcessUsage(child.pid!);
    clearInterval(timer);
    const lateJoinMs = await measureLateJoin(server.wsUrl(port), WebSocketClass, signal);
    return {
      name: server.name,
      lateJoinMs,
      roomUpdates: Math.round(totalCommits / ROOMS),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      deliveredPerSec: delivered / elapsedS,
      committedPerSec: committed / elapsedS,
      cpuMs: after.cpuMs - before.cpuMs,
      usage: after,
    };
  } finally {
    clearInterval(timer);
    for (const c of clients) c.provider.destroy();
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Median, over a few fresh clients, of connect-to-synced time in the first bench room. */
async function measureLateJoin(
  wsUrl: string,
  WebSocketClass: unknown,
  signal: AbortSignal,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const doc = new Y.Doc();
    const started = performance.now();
    const provider = new WebsocketProvider(wsUrl, ROOM_IDS[0]!, doc, {
      WebSocketPolyfill: WebSocketClass as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await until(() => provider.synced, 30_000, signal);
    times.push(performance.now() - started);
    if (doc.getMap('faders').size === 0) throw new Error('late joiner received an empty room');
    provider.destroy();
    doc.destroy();
  }
  return percentile(times, 50);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, signal: AbortSignal): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (performance.now() > deadline) throw new Error(`server on port ${port} did not start`);
    await sleep(50, signal);
  }
}

function waitForLine(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    let tail = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-64 * 1024);
      if (tail.includes(text)) resolve();
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
}

async function until(predicate: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error('bench setup timed out');
    await sleep(20, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
