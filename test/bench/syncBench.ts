import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
import { epochNow, startLoadTicks, type LoadClient } from './startLoadTicks.ts';
import type { GeneratorCommand, GeneratorReport } from './syncLoadGenerator.ts';
import { readProcessUsage, type ProcessUsage } from './processUsage.ts';

/**
 * Sync fan-out: N y-websocket clients in M rooms on loopback; every client commits its own
 * fader at RATE Hz and moves its presence (awareness) at AWARENESS Hz for SECONDS. Measures,
 * for our server and for the y-websocket 2.x reference server on the same load in the same
 * run: fan-out latency (a writer's commit to another client's observer), the share of updates
 * delivered (of the commits in the measured window, see DRAIN_MS), and CPU time and RSS of
 * every server process (from /proc). Our server makes every update durable before relaying;
 * the reference keeps rooms only in memory, so the ratios show the price of durability.
 * "mixroom sync" is createServer alone (what the reference also is); "mixroom full" is
 * server/src/main.ts with auth, embedded S3, stems and review wired in, its bench rooms opened
 * through OPEN_ROOMS. The cluster rows run the same load on 1 and on 3 cluster nodes
 * (test/cluster/syncNodeProcess.ts) on one Redis (AOF appendfsync always), the clients spread
 * over the nodes round-robin, so most fan-out crosses nodes. To add a server, add a row to
 * ALL_SERVERS. BENCH_SYNC_ONLY=<substring>[,<substring>...] runs only the servers whose name
 * contains one (the reference always runs).
 *
 * The load generator. A full client (WebsocketProvider on a Y.Doc) decodes and applies every
 * update and presence frame of its room: at 100-150 clients the bench's own process took a
 * whole core of the two, and p99 measured the generator, not the server. So by default
 * (BENCH_SYNC_GENERATOR=light) only BENCH_SYNC_OBSERVERS (1) clients per room are full ones, in
 * this process: they measure latency and delivery. The others are LightSyncClients in
 * BENCH_SYNC_GENERATORS (1) child processes (syncLoadGenerator.ts). The server cannot tell them
 * apart: a light client opens its socket with the same `ws` options (permessage-deflate
 * offered), does the same handshake (sync step 1 of its own doc, answers the server's step 1
 * with step 2), sends its commits as the `update` events of its own Y.Doc (its key is written by
 * it alone, so the bytes are those a full client would send) and its presence through a real
 * Awareness, and reads every frame off its socket; it only skips decoding and applying them,
 * which costs a client CPU and the server nothing. Commits are stamped with
 * the machine's monotonic clock (`epochNow`), the same in every process (checked per point).
 * BENCH_SYNC_GENERATOR=full runs every client as a full one in this process (the old
 * generator) for comparison. Rows print the CPU of the observers and of the generator.
 *
 * BENCH_SYNC_SWEEP=100,150,200,300 runs the load at each client count instead (rooms of
 * CLIENTS/ROOMS people), servers alternating in order, and prints the capacity of each server:
 * the most clients at p99 <= 50 ms (its knee, also interpolated between the points around it),
 * and the share of updates delivered at twice the reference's capacity (run as an extra point
 * when the sweep lacks it). Each line gives the server's CPU per commit too, the figure least
 * bent by a busy machine. BENCH_SYNC_REPEAT=3 measures every point three rounds (servers
 * alternating order each round) and judges the median p99.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CLIENTS = env('BENCH_SYNC_CLIENTS', 40);
const ROOMS = env('BENCH_SYNC_ROOMS', 4);
const RATE_HZ = env('BENCH_SYNC_RATE_HZ', 10);
const AWARENESS_HZ = env('BENCH_SYNC_AWARENESS_HZ', 30);
const SECONDS = env('BENCH_SYNC_SECONDS', 8);
/** Share of one core a node's event loop may use before queueing breaks p99 (capacity estimate). */
const CORE_BUDGET = 0.7;
const WARMUP_MS = 1000;
/**
 * Updates committed in the measured window count as delivered when they reach the other people
 * of their room up to this long after it (the load goes on meanwhile): an overloaded server's
 * late deliveries then count against its p99 instead of falling out of the window, and
 * the warm-up's backlog delivered in the window does not count at all.
 */
const DRAIN_MS = 2000;
/** Capacity is the most clients a server holds with fan-out p99 within this (the issue's target). */
const P99_TARGET_MS = 50;
const SWEEP = (process.env.BENCH_SYNC_SWEEP ?? '')
  .split(',')
  .filter((x) => x.trim() !== '')
  .map((x) => Number(x))
  .filter((n) => Number.isInteger(n) && n > 0);
const PER_ROOM = Math.max(2, Math.round(CLIENTS / ROOMS));
/** A sweep measures each point this many rounds (servers alternating order every round) and judges its median p99. */
const REPEAT = Math.max(1, Math.floor(env('BENCH_SYNC_REPEAT', 1)));
/** `light` (default): OBSERVERS full clients per room here, the rest light clients in GENERATORS child processes; `full`: every client a full one here (the old generator). */
const GENERATOR = process.env.BENCH_SYNC_GENERATOR === 'full' ? 'full' : 'light';
const OBSERVERS = env('BENCH_SYNC_OBSERVERS', 1);
const GENERATORS = env('BENCH_SYNC_GENERATORS', 1);

/** Clients and rooms of one measured point. */
interface Load {
  readonly clients: number;
  readonly rooms: number;
}
const sweepLoad = (clients: number): Load => ({ clients, rooms: Math.max(1, Math.round(clients / PER_ROOM)) });

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** What one server under test runs: the processes to measure and where clients connect. */
interface Deployment {
  /** Base URLs the WebsocketProvider appends `/<room>` to; client i uses `wsUrls[i % length]`. */
  readonly wsUrls: readonly string[];
  /** Every server-side process, measured separately (nodes, Redis). */
  readonly processes: ReadonlyArray<{ readonly name: string; readonly pid: number }>;
  /** Session cookie granting every bench room, when the server checks who connects. */
  readonly cookie?: string;
  stop(): Promise<void>;
}

interface ServerUnderTest {
  readonly name: string;
  /** Nodes in the row (for per-node figures). */
  readonly nodes: number;
  /** Whether the row pays for a shared Redis (its CPU is reported apart). */
  readonly redis?: boolean;
  launch(signal: AbortSignal): Promise<Deployment>;
}

/** The most clients and rooms any point may reach (a sweep adds a point at twice the reference's capacity). */
const MAX_LOAD: Load = SWEEP.length === 0 ? { clients: CLIENTS, rooms: ROOMS } : sweepLoad(Math.max(...SWEEP) * 2);
/** Extra node flags for our single-process servers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them. */
const SERVER_NODE_ARGS = (process.env.BENCH_SYNC_NODE_ARGS ?? '').split(' ').filter((x) => x !== '');
const ROOM_IDS = Array.from({ length: MAX_LOAD.rooms }, (_, i) => `bench-${i}`);

/** One child process on a free port, ready when its port answers (and `readyLine` was printed). */
function singleProcess(
  name: string,
  start: (port: number, dataDir: string) => ChildProcess,
  wsUrl: (port: number) => string,
  options: { readyLine?: string; join?: (port: number) => Promise<string> } = {},
): ServerUnderTest {
  return {
    name,
    nodes: 1,
    launch: async (signal) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'mixroom-bench-'));
      const port = await freePort();
      const child = start(port, dataDir);
      const stop = async () => {
        await new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
        await rm(dataDir, { recursive: true, force: true });
      };
      try {
        const booted = options.readyLine ? waitForLine(child, options.readyLine) : null;
        await waitForPort(port, child, signal);
        // Only when there is a line to wait for: each pending sleep holds a listener on `signal`
        // (a sweep launches dozens of servers).
        if (booted) await Promise.race([booted, sleep(180_000, signal)]);
        const cookie = await options.join?.(port);
        return { wsUrls: [wsUrl(port)], processes: [{ name, pid: child.pid! }], ...(cookie ? { cookie } : {}), stop };
      } catch (error) {
        await stop();
        throw error;
      }
    },
  };
}

/** N cluster nodes on one Redis (AOF always) and the embedded S3 store, with the product's timings. */
function cluster(nodes: number): ServerUnderTest {
  return {
    name: `mixroom cluster x${nodes}`,
    nodes,
    redis: true,
    launch: async () => {
      const { startTestCluster } = await import('../cluster/clusterHarness.ts');
      const running = await startTestCluster({
        nodes,
        // info: the harness waits for each node's "server listening" line.
        env: { LOG_LEVEL: 'info', SYNC_COMPACT_AFTER_MS: '30000', SYNC_STREAM_MIN_LIFETIME_MS: '60000', ROOM_IDLE_UNLOAD_MS: '30000' },
      });
      return {
        wsUrls: running.nodes.map((n) => `${n.url.replace(/^http/, 'ws')}/sync`),
        processes: [
          ...running.nodes.map((n) => ({ name: n.name, pid: n.child.pid! })),
          { name: 'redis', pid: running.redis.child.pid! },
        ],
        stop: () => running.close(),
      };
    },
  };
}

/** The full product server (auth, embedded S3, stems and review); bench rooms are open rooms. */
function productServer(name: string, extraEnv: Record<string, string> = {}): ServerUnderTest {
  return singleProcess(
    name,
    (port, dataDir) =>
      spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
        cwd: repoRoot,
        // Every bench client is one user (one cookie): lift the per-user socket cap and join rate.
        env: serverProcessEnv(dataDir, {
          PORT: String(port),
          // With the demo open the boot seeds it and logs the ready line awaited below; without
          // it that line never came and every launch waited out the 180 s fallback.
          OPEN_ROOMS: ['demo', ...ROOM_IDS].join(','),
          LOG_LEVEL: 'info',
          MAX_SOCKETS_PER_USER: String(MAX_LOAD.clients * 3 + 20),
          RATE_JOINS: `${MAX_LOAD.rooms + 100}/1h,${MAX_LOAD.rooms + 100}/1h`,
          ...extraEnv,
        }),
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    (port) => `ws://127.0.0.1:${port}/sync`,
    {
      // Boot synthesises and uploads the demo room's stems: seconds of CPU that are not sync.
      readyLine: '"msg":"demo room ready"',
      join: async (port) => {
        let cookie: string | undefined;
        for (const room of ROOM_IDS) cookie = await joinOpenRoom(`http://127.0.0.1:${port}`, room, cookie);
        return cookie!;
      },
    },
  );
}

/** Measures the server's child processes too (SYNC_SHARDS: its shards), each as its own row entry. */
function withChildProcesses(server: ServerUnderTest): ServerUnderTest {
  return {
    ...server,
    launch: async (signal) => {
      const deployment = await server.launch(signal);
      const children = await readFile(`/proc/${deployment.processes[0]!.pid}/task/${deployment.processes[0]!.pid}/children`, 'utf8').catch(() => '');
      const pids = children.split(' ').filter((x) => x.trim() !== '').map(Number);
      return { ...deployment, processes: [...deployment.processes, ...pids.map((pid, i) => ({ name: `shard ${i}`, pid }))] };
    },
  };
}

/** createServer alone (syncServerProcess.ts) from `cwd`, with extra environment and node flags. */
function syncServer(name: string, options: { readonly cwd?: string; readonly env?: Record<string, string>; readonly nodeArgs?: readonly string[] } = {}): ServerUnderTest {
  return singleProcess(
    name,
    (port, dataDir) =>
      spawn(process.execPath, [...SERVER_NODE_ARGS, ...(options.nodeArgs ?? []), '--import', 'tsx', 'test/bench/syncServerProcess.ts'], {
        cwd: options.cwd ?? repoRoot,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    (port) => `ws://127.0.0.1:${port}/sync`,
  );
}

const ALL_SERVERS: ServerUnderTest[] = [
  syncServer('mixroom sync'),
  // Before/after: BENCH_SYNC_BASE=<another checkout> runs its sync server too, as "mixroom base".
  ...(process.env.BENCH_SYNC_BASE ? [syncServer('mixroom base', { cwd: process.env.BENCH_SYNC_BASE })] : []),
  // What pacing socket writes by load (SYNC_WRITE_PACING=on) and a larger V8 young generation
  // (fewer scavenges of the short-lived frames) buy: the same server with each.
  syncServer('mixroom paced', { env: { SYNC_WRITE_PACING: 'on' } }),
  syncServer('mixroom semi-space 32', { nodeArgs: ['--max-semi-space-size=32'] }),
  // The price of permessage-deflate: the same server with it off.
  syncServer('mixroom no deflate', { env: { SYNC_DEFLATE: 'off' } }),
  // What the direct framing of small frames saves (SocketOutbox): the same server without it.
  syncServer('mixroom direct off', { env: { SYNC_DIRECT_FRAMES: 'off' } }),
  productServer('mixroom full'),
  // The same product with its rooms spread over two shard processes (one per core here).
  withChildProcesses(productServer('mixroom sharded x2', { SYNC_SHARDS: '2' })),
  cluster(1),
  cluster(3),
  singleProcess(
    'y-websocket 2.1.0',
    (port) =>
      spawn(process.execPath, [fileURLToPath(new URL('./refSyncServer.cjs', import.meta.url))], {
        cwd: join(repoRoot, 'test'),
        env: { ...process.env, PORT: String(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    (port) => `ws://127.0.0.1:${port}`,
  ),
];
const ONLY = process.env.BENCH_SYNC_ONLY;
const ONLY_NAMES = ONLY?.split(',').filter((x) => x !== '');
/** The reference always runs: every ratio is against it. */
/**
 * The reference always runs (every ratio is against it), unless BENCH_SYNC_REFERENCE=off: for
 * before/after runs of our own rows (BENCH_SYNC_BASE), which then print no ratios to it.
 */
const WITH_REFERENCE = process.env.BENCH_SYNC_REFERENCE !== 'off';
const SERVERS = ALL_SERVERS.filter(
  (s) => !ONLY_NAMES || ONLY_NAMES.some((o) => s.name.includes(o)) || (WITH_REFERENCE && s.name.startsWith('y-websocket')),
);

interface Result {
  readonly server: ServerUnderTest;
  readonly load: Load;
  readonly p50: number;
  readonly p99: number;
  /** Of every commit in the window, the share that reached the observers of its room (by DRAIN_MS after it). */
  readonly deliveredShare: number;
  readonly committedPerSec: number;
  /**
   * Update frames the light clients received over the run, per commit by someone else in their
   * room (NaN without them). A frame may carry several updates (a cluster node relays a batch
   * read from Redis as one), and the reference also echoes each update to its author (10/9).
   */
  readonly lightShare: number;
  /** CPU ms and write system calls over the measured window, per process. */
  readonly cpu: ReadonlyArray<{ readonly name: string; readonly ms: number; readonly writeCalls: number; readonly usage: ProcessUsage }>;
  /** Median time for a new client to sync a room after the session (late joiner). */
  readonly lateJoinMs: number;
  /** Bytes a late joiner read off its socket (compressed when the server deflates). */
  readonly lateJoinBytes: number;
  readonly roomUpdates: number;
  /** CPU ms of this bench process (the full clients that measure) over the measured window. */
  readonly observersCpuMs: number;
  /** Full clients in this process. */
  readonly observers: number;
  /** CPU ms of the load generator processes (the light clients) over the measured window. */
  readonly generatorCpuMs: number;
}

const nodeCpu = (r: Result) => r.cpu.filter((c) => c.name !== 'redis');
const redisCpu = (r: Result) => r.cpu.find((c) => c.name === 'redis')?.ms ?? 0;
const totalNodeCpu = (r: Result) => nodeCpu(r).reduce((n, c) => n + c.ms, 0);
const pct = (ms: number) => `${((ms / (SECONDS * 1000)) * 100).toFixed(1)}%`;
/** Server CPU (every node, not Redis) per commit in the window, ms. */
const cpuPerCommit = (r: Result) => totalNodeCpu(r) / Math.max(1, r.committedPerSec * SECONDS);
/** Write system calls of every node per commit (a socket write is one; the log's are a few per tick). */
const writesPerCommit = (r: Result) => nodeCpu(r).reduce((n, c) => n + c.writeCalls, 0) / Math.max(1, r.committedPerSec * SECONDS);
/** Of every commit's fan-out to the other people in its room, the share that arrived in the window. */
const deliveredShare = (r: Result) => r.deliveredShare;
/** Updates relayed per second by the server (each commit to the others of its room), at the measured share. */
const deliveredPerSec = (r: Result) => r.committedPerSec * (r.load.clients / r.load.rooms - 1) * r.deliveredShare;
const clientsCpu = (r: Result) =>
  `observers CPU ${pct(r.observersCpuMs)}` + (r.generatorCpuMs > 0 ? `, generator ${pct(r.generatorCpuMs)} (its clients got ${(r.lightShare * 100).toFixed(0)}% in frames)` : '');

export async function run({ signal }: { signal: AbortSignal }): Promise<void> {
  // Each y-websocket provider registers a process 'exit' listener.
  process.setMaxListeners(MAX_LOAD.clients + 20);
  if (SWEEP.length > 0) return sweep(signal);
  const load = { clients: CLIENTS, rooms: ROOMS };
  console.log(
    `${CLIENTS} clients in ${ROOMS} rooms, each committing a fader at ${RATE_HZ} Hz and moving its presence at ${AWARENESS_HZ} Hz for ${SECONDS} s (loopback)`,
  );
  const results: Result[] = [];
  for (const server of SERVERS) {
    signal.throwIfAborted();
    results.push(await measure(server, load, signal));
  }
  const row = (r: Result) =>
    [
      r.server.name.padEnd(20),
      `p50 ${r.p50.toFixed(2)} ms`.padEnd(16),
      `p99 ${r.p99.toFixed(2)} ms`.padEnd(16),
      `${Math.round(deliveredPerSec(r))} delivered/s`.padEnd(20),
      `${Math.round(r.committedPerSec)} commits/s`.padEnd(18),
      `${(deliveredShare(r) * 100).toFixed(0)}% delivered`.padEnd(15),
      `CPU ${nodeCpu(r).map((c) => `${c.name} ${pct(c.ms)}`).join(', ')}${r.server.redis ? `, redis ${pct(redisCpu(r))}` : ''} of a core`.padEnd(44),
      clientsCpu(r).padEnd(62),
      `RSS ${nodeCpu(r).map((c) => (c.usage.rssBytes / 2 ** 20).toFixed(1)).join('/')} MiB`.padEnd(22),
      `late join ${r.lateJoinMs.toFixed(1)} ms, ${(r.lateJoinBytes / 1024).toFixed(1)} KiB (~${r.roomUpdates} updates in the room)`,
    ].join(' ');
  for (const r of results) console.log(row(r));
  const ref = results.find((r) => r.server.name.startsWith('y-websocket'));
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  for (const ours of results.filter((r) => r !== ref)) {
    if (!ref) break;
    console.log(
      `ratio ${ours.server.name} / ${ref.server.name}: p50 x${ratio(ours.p50, ref.p50)}, p99 x${ratio(ours.p99, ref.p99)}, ` +
        `delivered/s x${ratio(deliveredPerSec(ours), deliveredPerSec(ref))}, ` +
        `node CPU per delivered update x${ratio(totalNodeCpu(ours) / deliveredPerSec(ours), totalNodeCpu(ref) / deliveredPerSec(ref))}, ` +
        `late join x${ratio(ours.lateJoinMs, ref.lateJoinMs)}`,
    );
  }
  const single = results.find((r) => r.server.name === 'mixroom sync');
  for (const r of results.filter((x) => x.server.redis)) {
    if (single) {
      console.log(
        `cluster path overhead (${r.server.name} / mixroom sync): node CPU per delivered update x${ratio(
          totalNodeCpu(r) / deliveredPerSec(r),
          totalNodeCpu(single) / deliveredPerSec(single),
        )}, plus Redis ${((redisCpu(r) / (r.committedPerSec * SECONDS)) * 1000).toFixed(0)} µs CPU per commit`,
      );
    }
  }
  // Capacity: CPU per client is flat in rooms of fixed size (each commit fans out to the same
  // number of peers), so a node's event loop fills linearly with clients.
  // Costs are scaled to the nominal commit rate: on a loaded machine the clients commit less.
  const perRoom = CLIENTS / ROOMS;
  for (const r of results) {
    const toNominal = (CLIENTS * RATE_HZ) / Math.max(r.committedPerSec, 1);
    const cpuPerClient = (totalNodeCpu(r) / SECONDS / CLIENTS) * toNominal;
    const perNode = (CORE_BUDGET * 1000) / cpuPerClient;
    const redisPerClient = (redisCpu(r) / SECONDS / CLIENTS) * toNominal;
    const redisClients = redisPerClient > 0 ? (CORE_BUDGET * 1000) / redisPerClient : Infinity;
    console.log(
      `capacity ${r.server.name}: ~${Math.floor(perNode / perRoom)} rooms of ${perRoom} per node process ` +
        `(${cpuPerClient.toFixed(2)} ms CPU/s per client; limit: one event loop at ${CORE_BUDGET * 100}% of a core)` +
        (r.server.redis ? `; Redis ~${Math.floor(redisClients / perRoom)} rooms at ${CORE_BUDGET * 100}% of its core (its one thread)` : ''),
    );
  }
  if (!ONLY || ONLY.includes('deflate')) await measureDeflate(signal);
  console.log(`(machine load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}

/** Joiners of one long session's room, each synced from scratch. */
const DEFLATE_JOINS = 20;

/**
 * The price and gain of permessage-deflate where it matters, a late joiner's first sync of a
 * long session's room: bytes on the wire, and the server's CPU per join, with it on and off.
 */
async function measureDeflate(signal: AbortSignal): Promise<void> {
  const session = new Y.Doc();
  const tracks = session.getMap('tracks');
  // About a session's worth of edits: 40 strips, 600 fader/pan/EQ commits each.
  for (let t = 0; t < 40; t++) {
    const track = new Y.Map<unknown>();
    tracks.set(`track-${t}`, track);
    for (let i = 0; i < 600; i++) {
      session.transact(() => {
        track.set('gainDb', -((t * 7 + i) % 60) / 2);
        track.set('pan', ((i % 21) - 10) / 10);
        track.set(`eq${i % 4}`, { freq: 100 * ((i % 40) + 1), gainDb: (i % 13) - 6, q: 0.7 });
      });
    }
  }
  const size = Y.encodeStateAsUpdate(session).byteLength;
  const lines: string[] = [];
  for (const server of ALL_SERVERS.filter((s) => s.name === 'mixroom sync' || s.name === 'mixroom no deflate')) {
    const deployment = await server.launch(signal);
    const url = deployment.wsUrls[0]!;
    const providerOf = (doc: Y.Doc) =>
      new WebsocketProvider(url, 'long-session', doc, { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
    try {
      const writerDoc = new Y.Doc();
      Y.applyUpdate(writerDoc, Y.encodeStateAsUpdate(session));
      const writer = providerOf(writerDoc);
      await until(() => writer.synced, 60_000, signal);
      // The server has it all once a fresh reader sees the last strip's last edit.
      const probe = new Y.Doc();
      const reader = providerOf(probe);
      await until(() => reader.synced && probe.getMap('tracks').size === 40, 60_000, signal);
      reader.destroy();
      writer.destroy();
      const bytes: number[] = [];
      const times: number[] = [];
      const before = await readProcessUsage(deployment.processes[0]!.pid);
      for (let i = 0; i < DEFLATE_JOINS; i++) {
        const doc = new Y.Doc();
        const started = performance.now();
        const joiner = providerOf(doc);
        await until(() => joiner.synced && doc.getMap('tracks').size === 40, 30_000, signal);
        times.push(performance.now() - started);
        bytes.push((joiner.ws as unknown as { _socket?: { bytesRead: number } } | null)?._socket?.bytesRead ?? NaN);
        joiner.destroy();
        doc.destroy();
      }
      const after = await readProcessUsage(deployment.processes[0]!.pid);
      lines.push(
        `${server.name.padEnd(20)} first sync ${(percentile(bytes, 50) / 1024).toFixed(1)} KiB on the wire, ` +
          `join ${percentile(times, 50).toFixed(1)} ms p50, server CPU ${((after.cpuMs - before.cpuMs) / DEFLATE_JOINS).toFixed(1)} ms per join`,
      );
    } finally {
      await deployment.stop();
    }
  }
  console.log(`late joiners of a ${(size / 1024).toFixed(0)} KiB room (${DEFLATE_JOINS} joins each):`);
  for (const line of lines) console.log(line);
}

/**
 * The same load at several client counts, servers alternating order from point to point so a
 * change in the machine's load does not always favour one. Prints one line per point and server,
 * then each server's capacity at p99 <= P99_TARGET_MS and the delivered shares at twice the
 * reference's capacity.
 */
async function sweep(signal: AbortSignal): Promise<void> {
  const points = [...new Set(SWEEP)].sort((a, b) => a - b);
  console.log(
    `sweep over ${points.join(', ')} clients in rooms of ${PER_ROOM}, each committing a fader at ${RATE_HZ} Hz and moving its presence at ${AWARENESS_HZ} Hz for ${SECONDS} s per point` +
      `${REPEAT > 1 ? `, ${REPEAT} rounds each` : ''} (loopback)`,
  );
  const results: Result[] = [];
  let round = 0;
  const measurePoint = async (clients: number) => {
    for (let k = 0; k < REPEAT; k++, round++) {
      const order = round % 2 === 0 ? SERVERS : [...SERVERS].reverse();
      for (const server of order) {
        signal.throwIfAborted();
        const r = await measure(server, sweepLoad(clients), signal);
        results.push(r);
        console.log(
          [
            `${clients} clients`.padEnd(12),
            r.server.name.padEnd(20),
            `p50 ${r.p50.toFixed(1)} ms`.padEnd(15),
            `p99 ${r.p99.toFixed(1)} ms`.padEnd(16),
            `${(deliveredShare(r) * 100).toFixed(0)}% delivered`.padEnd(15),
            `${Math.round(r.committedPerSec)} commits/s`.padEnd(16),
            `server CPU ${pct(totalNodeCpu(r))}${r.server.redis ? ` + redis ${pct(redisCpu(r))}` : ''}`.padEnd(22),
            `${cpuPerCommit(r).toFixed(3)} ms CPU, ${writesPerCommit(r).toFixed(1)} writes per commit`.padEnd(40),
            clientsCpu(r).padEnd(62),
            `load ${loadavg()[0]!.toFixed(1)}`,
          ].join(' '),
        );
      }
    }
  };
  for (const clients of points) await measurePoint(clients);
  /** A server's run at `n` clients: with several rounds, the one of median p99. */
  const at = (server: ServerUnderTest, n: number): Result | undefined => {
    const runs = results.filter((x) => x.server === server && x.load.clients === n).sort((a, b) => a.p99 - b.p99);
    return runs[Math.floor((runs.length - 1) / 2)];
  };
  /** The most clients measured with p99 within target, with every smaller point also within it. */
  const capacity = (server: ServerUnderTest): number => {
    let best = 0;
    for (const n of points) {
      const r = at(server, n);
      if (!r || !(r.p99 <= P99_TARGET_MS)) break;
      best = n;
    }
    return best;
  };
  /** Where p99 crosses the target between the capacity point and the next (linear in p99), or null. */
  const knee = (server: ServerUnderTest): number | null => {
    const cap = capacity(server);
    const next = points.find((n) => n > cap);
    const below = cap > 0 ? at(server, cap) : undefined;
    const above = next === undefined ? undefined : at(server, next);
    if (!below || !above) return null;
    return Math.round(cap + ((next! - cap) * (P99_TARGET_MS - below.p99)) / (above.p99 - below.p99));
  };
  const ref = SERVERS.find((s) => s.name.startsWith('y-websocket'));
  const refCapacity = ref ? capacity(ref) : 0;
  const overload = Math.max(2 * refCapacity, points[0]!);
  if (refCapacity > 0 && !points.includes(overload)) await measurePoint(overload);
  console.log(`capacity (knee) at p99 <= ${P99_TARGET_MS} ms (of the points measured; 0 = not even the first; ~ = p99 interpolated to the target between points):`);
  for (const server of SERVERS) {
    const cap = capacity(server);
    const k = knee(server);
    const vsRef = server === ref ? '' : ` (x${refCapacity > 0 ? (cap / refCapacity).toFixed(2) : '?'} the reference)`;
    console.log(`  ${server.name.padEnd(20)} ${cap} clients${k === null ? '' : `, ~${k}`}${vsRef}`);
  }
  if (REPEAT > 1) {
    console.log(`medians over ${REPEAT} rounds (p99, CPU and write system calls per commit):`);
    for (const server of SERVERS) {
      const medians = points.map((n) => {
        const runs = results.filter((x) => x.server === server && x.load.clients === n);
        const median = (f: (r: Result) => number) => percentile(runs.map(f), 50);
        return `${n}: p99 ${median((r) => r.p99).toFixed(0)} ms, ${median(cpuPerCommit).toFixed(3)} ms CPU and ${median(writesPerCommit).toFixed(1)} writes per commit`;
      });
      console.log(`  ${server.name.padEnd(20)} ${medians.join('; ')}`);
    }
  }
  // On a loaded machine no server may meet the target: the same-run ratios still compare them.
  for (const server of SERVERS.filter((s) => ref && s !== ref)) {
    const ratios = points.map((n) => {
      const ours = at(server, n);
      const theirs = at(ref!, n);
      return ours && theirs ? `${n}: x${(ours.p99 / theirs.p99).toFixed(2)}` : `${n}: -`;
    });
    console.log(`p99 ${server.name} / ${ref!.name} per point: ${ratios.join(', ')}`);
  }
  if (refCapacity > 0) {
    console.log(`at ${overload} clients (2x the reference's capacity), share of updates delivered:`);
    for (const r of results.filter((x) => x.load.clients === overload)) {
      console.log(`  ${r.server.name.padEnd(20)} ${(deliveredShare(r) * 100).toFixed(0)}% delivered, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`);
    }
  }
  console.log(`(machine load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}

/** A generator child process and what it reports. */
interface Generator {
  readonly child: ChildProcess;
  readonly reports: GeneratorReport[];
  send(command: GeneratorCommand): void;
  next<T extends GeneratorReport['type']>(type: T, signal: AbortSignal): Promise<Extract<GeneratorReport, { type: T }>>;
}

function spawnGenerator(): Generator {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./syncLoadGenerator.ts', import.meta.url))], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reports: GeneratorReport[] = [];
  child.on('message', (message: GeneratorReport) => reports.push(message.type === 'clock' ? { ...message, receivedAt: epochNow() } : message));
  return {
    child,
    reports,
    send: (command) => child.send(command),
    next: async (type, signal) => {
      await until(() => reports.some((r) => r.type === type) || child.exitCode !== null, 120_000, signal);
      const index = reports.findIndex((r) => r.type === type);
      if (index < 0) throw new Error(`load generator exited with ${child.exitCode}`);
      return reports.splice(index, 1)[0] as Extract<GeneratorReport, { type: typeof type }>;
    },
  };
}

/**
 * Latency compares a stamp taken in a generator with a clock read here (both `epochNow`, the
 * machine's monotonic clock, so the offset should be nil): measures it anyway from the fastest
 * of a few IPC round trips, has the generator subtract it, and says when it was not nil.
 */
async function alignClock(generator: Generator, signal: AbortSignal): Promise<void> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 5; i++) {
    generator.send({ type: 'clock', sent: epochNow() });
    const answer = await generator.next('clock', signal);
    const rtt = answer.receivedAt! - answer.sent;
    if (rtt < best.rtt) best = { rtt, offset: answer.at - (answer.sent + rtt / 2) };
  }
  if (Math.abs(best.offset) > 0.5 + best.rtt / 2) console.warn(`load generator clock off by ${best.offset.toFixed(2)} ms (corrected)`);
  generator.send({ type: 'offset', ms: best.offset });
}

async function measure(server: ServerUnderTest, load: Load, signal: AbortSignal): Promise<Result> {
  const deployment = await server.launch(signal);
  const observers: Array<LoadClient & { doc: Y.Doc; provider: WebsocketProvider; room: string }> = [];
  const generators: Generator[] = [];
  let stopTicks: (() => void) | undefined;
  try {
    const WebSocketClass = deployment.cookie === undefined ? WebSocket : webSocketWithCookie(deployment.cookie);
    const perRoom = load.clients / load.rooms;
    // Client i is in room i % rooms; the first OBSERVERS of each room are full clients here.
    const observersPerRoom = GENERATOR === 'full' ? Infinity : Math.min(OBSERVERS, perRoom);
    const latencies: number[] = [];
    // Commits stamped in [windowStart, windowEnd) (epochNow ms) are the measured ones.
    let windowStart = Infinity;
    let windowEnd = Infinity;
    let delivered = 0;
    const observerCommits = new Map<string, number>();
    const observersIn = new Map<string, number>();
    let totalCommits = 0;
    const observerCommitsAll = new Map<string, number>();
    const urlOf = (i: number) => deployment.wsUrls[i % deployment.wsUrls.length]!;
    const light: Array<{ index: number; url: string; room: string }> = [];
    for (let i = 0; i < load.clients; i++) {
      const room = ROOM_IDS[i % load.rooms]!;
      if (Math.floor(i / load.rooms) >= observersPerRoom) {
        light.push({ index: i, url: urlOf(i), room });
        continue;
      }
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(urlOf(i), room, doc, {
        WebSocketPolyfill: WebSocketClass as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      const faders = doc.getMap<[number, number]>('faders');
      faders.observe((event) => {
        if (event.transaction.local) return;
        const now = epochNow();
        for (const key of event.keysChanged) {
          const value = faders.get(key);
          if (value && value[0] >= windowStart && value[0] < windowEnd) {
            latencies.push(now - value[0]);
            delivered += 1;
          }
        }
      });
      observersIn.set(room, (observersIn.get(room) ?? 0) + 1);
      observers.push({
        index: i,
        doc,
        provider,
        room,
        commit: (at, value) => faders.set(`f${i}`, [at, value]),
        movePresence: (at) => provider.awareness.setLocalStateField('playhead', at),
      });
    }
    const generatorCount = light.length === 0 ? 0 : Math.max(1, GENERATORS);
    for (let g = 0; g < generatorCount; g++) {
      const generator = spawnGenerator();
      generators.push(generator);
      generator.send({
        type: 'connect',
        clients: light.filter((_, k) => k % generatorCount === g),
        totalClients: load.clients,
        rateHz: RATE_HZ,
        awarenessHz: AWARENESS_HZ,
        ...(deployment.cookie !== undefined ? { cookie: deployment.cookie } : {}),
      });
    }
    await until(() => observers.every((c) => c.provider.synced), 60_000, signal);
    await Promise.all(generators.map((g) => g.next('synced', signal)));
    for (const g of generators) await alignClock(g, signal);

    for (const g of generators) g.send({ type: 'start' });
    stopTicks = startLoadTicks(observers, {
      totalClients: load.clients,
      rateHz: RATE_HZ,
      awarenessHz: AWARENESS_HZ,
      onCommit: (client, at) => {
        totalCommits += 1;
        const room = (client as (typeof observers)[number]).room;
        observerCommitsAll.set(room, (observerCommitsAll.get(room) ?? 0) + 1);
        if (at >= windowStart && at < windowEnd) observerCommits.set(room, (observerCommits.get(room) ?? 0) + 1);
      },
    });
    await sleep(WARMUP_MS, signal);
    const pids = [...deployment.processes.map((p) => p.pid), ...generators.map((g) => g.child.pid!)];
    const before = await Promise.all(pids.map((pid) => readProcessUsage(pid)));
    const observersBefore = process.cpuUsage();
    windowStart = epochNow();
    await sleep(SECONDS * 1000, signal);
    windowEnd = epochNow();
    const elapsedS = (windowEnd - windowStart) / 1000;
    const after = await Promise.all(pids.map((pid) => readProcessUsage(pid)));
    const observersCpu = process.cpuUsage(observersBefore);
    await sleep(DRAIN_MS, signal);
    const deliveredByDrain = delivered;
    stopTicks();
    for (const g of generators) g.send({ type: 'stop' });
    for (const g of generators) g.send({ type: 'count', start: windowStart, end: windowEnd });
    const counts = await Promise.all(generators.map((g) => g.next('counts', signal)));
    const closed = counts.flatMap((c) => Object.entries(c.closed));
    if (closed.length > 0) console.warn(`${server.name}, ${load.clients} clients: the server closed light clients (code: count) ${closed.map(([code, n]) => `${code}: ${n}`).join(', ')}`);
    // What the observers should have received: every commit in the window by anyone else in their room.
    let expected = 0;
    let committed = 0;
    for (const room of ROOM_IDS.slice(0, load.rooms)) {
      const own = observerCommits.get(room) ?? 0;
      const others = counts.reduce((n, c) => n + (c.perRoom[room] ?? 0), 0);
      expected += (observersIn.get(room) ?? 0) * (own + others) - own;
      committed += own + others;
    }
    // The light clients' share, over the whole run: every commit by anyone else in their room.
    let lightExpected = 0;
    let lightGot = 0;
    for (const room of ROOM_IDS.slice(0, load.rooms)) {
      const lightClients = counts.reduce((n, c) => n + (c.rooms[room]?.clients ?? 0), 0);
      const lightCommits = counts.reduce((n, c) => n + (c.rooms[room]?.commits ?? 0), 0);
      lightExpected += lightClients * (lightCommits + (observerCommitsAll.get(room) ?? 0)) - lightCommits;
      lightGot += counts.reduce((n, c) => n + (c.rooms[room]?.updatesIn ?? 0), 0);
    }
    const lateJoin = await measureLateJoin(deployment.wsUrls[0]!, WebSocketClass, signal);
    const cpuOf = (k: number) => after[k]!.cpuMs - before[k]!.cpuMs;
    const serverCount = deployment.processes.length;
    return {
      server,
      load,
      observersCpuMs: (observersCpu.user + observersCpu.system) / 1000,
      generatorCpuMs: generators.reduce((n, _, g) => n + cpuOf(serverCount + g), 0),
      observers: observers.length,
      lateJoinMs: lateJoin.ms,
      lateJoinBytes: lateJoin.bytes,
      roomUpdates: Math.round((totalCommits * load.clients) / Math.max(1, observers.length) / load.rooms),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      deliveredShare: expected > 0 ? deliveredByDrain / expected : NaN,
      lightShare: lightExpected > 0 ? lightGot / lightExpected : NaN,
      committedPerSec: committed / elapsedS,
      cpu: deployment.processes.map((p, i) => ({ name: p.name, ms: cpuOf(i), writeCalls: after[i]!.writeCalls - before[i]!.writeCalls, usage: after[i]! })),
    };
  } finally {
    stopTicks?.();
    for (const c of observers) c.provider.destroy();
    for (const g of generators) g.child.kill('SIGKILL');
    await deployment.stop();
  }
}

/** Median, over a few fresh clients, of connect-to-synced time and bytes read in the first bench room. */
async function measureLateJoin(
  wsUrl: string,
  WebSocketClass: unknown,
  signal: AbortSignal,
): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  const bytes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const doc = new Y.Doc();
    const started = performance.now();
    const provider = new WebsocketProvider(wsUrl, ROOM_IDS[0]!, doc, {
      WebSocketPolyfill: WebSocketClass as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await until(() => provider.synced, 30_000, signal);
    times.push(performance.now() - started);
    bytes.push((provider.ws as unknown as { _socket?: { bytesRead: number } } | null)?._socket?.bytesRead ?? NaN);
    if (doc.getMap('faders').size === 0) throw new Error('late joiner received an empty room');
    provider.destroy();
    doc.destroy();
  }
  return { ms: percentile(times, 50), bytes: percentile(bytes, 50) };
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
