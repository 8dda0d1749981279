import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { getTrackMap } from '@mixroom/shared/model';
import { setTrackParam } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import { percentile } from './percentile.ts';

/**
 * Room hibernation (`ROOM_HIBERNATE_MS`), before (off) and after (on), in one run:
 * - heap per quiet room holding the 1-hour session state (two quiet sockets each),
 * - heap per loaded new room (one quiet socket each),
 * - latency of the first edit after the room went quiet, from one client's write to the other
 *   client seeing it: with hibernation on that edit wakes the room (rebuilds the doc, reruns
 *   the open hook); off, the same quiet room is awake. Ratio of the two from the same run.
 * The server runs in a child process (heap measured there after full collections); the clients
 * run here.
 */
const HOUR_ROOMS = 6;
const EMPTY_ROOMS = 40;
const ROUNDS = 6;
const HIBERNATE_MS = 1000;
const QUIET_MS = HIBERNATE_MS * 2.5;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface ServerReply {
  readonly port: number;
  readonly heapUsed?: number;
  readonly hibernating?: number;
  readonly loaded?: number;
  readonly stateBytes?: number;
  readonly wakeMs?: number[];
  readonly wakeApplyMs?: number[];
  readonly wakeOpenMs?: number[];
  readonly wakeCpuMs?: number[];
  readonly rss?: number;
}

interface Variant {
  readonly name: string;
  readonly hibernateMs: number;
  perHourRoom: number[];
  perEmptyRoom: number[];
  firstEditMs: number[];
  /** Inside the server: rebuilding the doc and rerunning the open hook. */
  wakeMs: number[];
  /** The wake's two steps: rebuilding the doc from the kept state, and the open hook. */
  wakeApplyMs: number[];
  wakeOpenMs: number[];
  /** CPU time of the server process (all its threads, V8's GC helpers too) during each wake. */
  wakeCpuMs: number[];
  /** The server's resident memory after the edit rounds (after full collections). */
  rss: number[];
  stateBytes: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ask(child: ChildProcess, message?: string): Promise<ServerReply> {
  const reply = once(child, 'message') as Promise<[ServerReply]>;
  if (message) child.send(message);
  return (await reply)[0];
}

async function waitUntil(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(5);
  }
}

async function runVariant(variant: Variant, signal: AbortSignal): Promise<void> {
  const dataDir = await mkdtemp(join(process.env.TMPDIR ?? tmpdir(), 'mixroom-hibernate-bench-'));
  const child = fork(fileURLToPath(new URL('./hibernationServerProcess.ts', import.meta.url)), [], {
    cwd: repoRoot,
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ROOM_HIBERNATE_MS: String(variant.hibernateMs), ROOM_IDLE_UNLOAD_MS: '600000' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const providers: WebsocketProvider[] = [];
  try {
    const { port, stateBytes } = await ask(child);
    variant.stateBytes = stateBytes ?? 0;
    const connect = (room: string) => {
      const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, new Y.Doc(), {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      providers.push(provider);
      return provider;
    };
    const heap0 = (await ask(child, 'heap')).heapUsed!;
    const pairs = Array.from({ length: HOUR_ROOMS }, (_, i) => [connect(`hour-${i}`), connect(`hour-${i}`)] as const);
    await waitUntil('hour rooms synced', () => pairs.every(([a, b]) => a.synced && b.synced));
    await sleep(QUIET_MS);
    const heap1 = await ask(child, 'heap');
    if (variant.hibernateMs > 0 && heap1.hibernating !== HOUR_ROOMS) throw new Error(`${heap1.hibernating} of ${HOUR_ROOMS} rooms hibernated`);
    variant.perHourRoom.push((heap1.heapUsed! - heap0) / HOUR_ROOMS);
    const empties = Array.from({ length: EMPTY_ROOMS }, (_, i) => connect(`new-${i}`));
    await waitUntil('new rooms synced', () => empties.every((p) => p.synced));
    await sleep(QUIET_MS);
    const heap2 = await ask(child, 'heap');
    variant.perEmptyRoom.push((heap2.heapUsed! - heap1.heapUsed!) / EMPTY_ROOMS);

    for (let round = 0; round < ROUNDS; round++) {
      signal.throwIfAborted();
      for (const [writer, reader] of pairs) {
        const value = -(round + 1) - Math.random();
        const track = getTrackMap(reader.doc, 't0')!;
        const startedAt = performance.now();
        setTrackParam(writer.doc, { trackId: 't0', param: 'gain', value }, createOrigin('local-user', 'bench'));
        await waitUntil('edit relayed', () => track.get('gain') === value, 30_000);
        variant.firstEditMs.push(performance.now() - startedAt);
      }
      // Quiet again: with hibernation on, every room drops its doc before the next round.
      await sleep(QUIET_MS);
    }
    const wakes = await ask(child, 'wakes');
    variant.wakeMs.push(...(wakes.wakeMs ?? []));
    variant.wakeApplyMs.push(...(wakes.wakeApplyMs ?? []));
    variant.wakeOpenMs.push(...(wakes.wakeOpenMs ?? []));
    variant.wakeCpuMs.push(...(wakes.wakeCpuMs ?? []));
    variant.rss.push((await ask(child, 'heap')).rss!);
  } finally {
    for (const p of providers) p.destroy();
    child.kill('SIGTERM');
    await once(child, 'exit');
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function run({ signal }: { signal: AbortSignal }): Promise<void> {
  const before: Variant = { name: 'hibernation off', hibernateMs: 0, perHourRoom: [], perEmptyRoom: [], firstEditMs: [], wakeMs: [], wakeApplyMs: [], wakeOpenMs: [], wakeCpuMs: [], rss: [], stateBytes: 0 };
  const after: Variant = { name: 'hibernation on', hibernateMs: HIBERNATE_MS, perHourRoom: [], perEmptyRoom: [], firstEditMs: [], wakeMs: [], wakeApplyMs: [], wakeOpenMs: [], wakeCpuMs: [], rss: [], stateBytes: 0 };
  const loads: number[] = [];
  // Alternated, so both see the same machine.
  for (const variant of [before, after, before, after]) {
    await runVariant(variant, signal);
    loads.push(loadavg()[0]!);
  }
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`1-hour session state: ${(before.stateBytes / 1000).toFixed(0)} KB as a Yjs V1 update; ${HOUR_ROOMS} such rooms x 2 quiet sockets, ${EMPTY_ROOMS} new rooms x 1`);
  for (const v of [before, after]) {
    const p50 = percentile(v.firstEditMs, 50);
    const p99 = percentile(v.firstEditMs, 99);
    console.log(
      `${v.name.padEnd(16)} heap per quiet 1-hour room ${mib(mean(v.perHourRoom)).padStart(10)}   per new room ${kib(mean(v.perEmptyRoom)).padStart(10)}   first edit after ${QUIET_MS} ms quiet p50 ${p50.toFixed(1)} ms p99 ${p99.toFixed(1)} ms (${v.firstEditMs.length} edits)` +
        (v.wakeMs.length > 0 ? `; of which the wake in the server p50 ${percentile(v.wakeMs, 50).toFixed(1)} ms p99 ${percentile(v.wakeMs, 99).toFixed(1)} ms (${v.wakeMs.length} wakes)` : '') +
        `; server RSS ${mib(mean(v.rss))}`,
    );
  }
  if (after.wakeApplyMs.length > 0) {
    const p = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms p99 ${percentile(xs, 99).toFixed(1)} ms`;
    console.log(`wake steps: rebuilding the doc from the kept state ${p(after.wakeApplyMs)}; open hook (migrations, repair, observers) ${p(after.wakeOpenMs)}`);
    // On a loaded machine the wall time is mostly waiting for a core; the CPU is the work.
    console.log(`CPU of the server process during a wake ${p(after.wakeCpuMs)}`);
  }
  const ratio = (f: (v: Variant) => number) => (f(after) / f(before)).toFixed(3);
  console.log(
    `on/off: heap per 1-hour room x${ratio((v) => mean(v.perHourRoom))}, per new room x${ratio((v) => mean(v.perEmptyRoom))}, first edit p50 x${ratio((v) => percentile(v.firstEditMs, 50))} p99 x${ratio((v) => percentile(v.firstEditMs, 99))}`,
  );
  console.log(`(machine load average after each run: ${loads.map((l) => l.toFixed(1)).join(' ')})`);
}
