import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES, type RoomId } from '@mixroom/shared/protocol';
import { startTestServer, testConfig, waitFor, whenSynced } from './syncHarness.ts';
import { useSyncFixture } from './useSyncFixture.ts';

/**
 * Frames must reach each socket exactly once and in the order the server queued them, whichever
 * way they are written: small ones framed by SocketOutbox straight onto the TCP socket
 * (SYNC_DIRECT_FRAMES=on), or all through `ws`, which deflates big ones on the thread pool and
 * holds every later frame of the socket meanwhile. A y-websocket client that loses one update
 * never asks for it again, so this is what keeps a room in sync.
 *
 * Bare `ws` joiners that negotiate permessage-deflate join a room while a writer streams small
 * updates, an update over 16 KiB now and then (deflated for them), and presence; they heartbeat
 * and the server pings. Each joiner's frames are decoded in order: the writer's relayed updates
 * must form one unbroken chain of clocks (a lost, repeated or overtaken relay breaks it), the
 * first sync must be one whole Yjs update over 16 KiB, presence clocks must never go back, and
 * every document must end equal to the server's.
 */

/** Above the deflate threshold (16 KiB), so these frames go through `ws` and its zlib. */
const BIG_TEXT_BYTES = 20 * 1024;
const JOINERS = 4;

/** Text that deflate cannot shrink much: a big frame stays big on the wire, and slow to compress. */
const noise = (bytes: number) => randomBytes(bytes / 2).toString('hex');

interface Joiner {
  readonly ws: WebSocket;
  readonly doc: Y.Doc;
  /** Each frame as decoded, in arrival order. */
  readonly frames: Array<
    | { kind: 'step1' }
    | { kind: 'step2'; bytes: number }
    | { kind: 'update'; from: number; to: number; bytes: number }
    | { kind: 'awareness'; clocks: Array<[number, number]> }
    | { kind: 'heartbeat' }
    | { kind: 'other'; type: number }
  >;
  closes: number;
  pings: number;
}

/** A bare `ws` socket offering permessage-deflate (as browsers do) that asks for the whole room and records every frame. */
async function join(serverUrl: string, room: string, user: string, writerId: () => number): Promise<Joiner> {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/sync/${room}?user=${user}`, { perMessageDeflate: true });
  ws.binaryType = 'nodebuffer';
  const joiner: Joiner = { ws, doc: new Y.Doc(), frames: [], closes: 0, pings: 0 };
  ws.on('close', () => (joiner.closes += 1));
  ws.on('ping', () => (joiner.pings += 1));
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_TYPES.sync) {
      const sub = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (sub === syncProtocol.messageYjsSyncStep1) return void joiner.frames.push({ kind: 'step1' });
      Y.applyUpdate(joiner.doc, payload, 'server');
      if (sub === syncProtocol.messageYjsSyncStep2) return void joiner.frames.push({ kind: 'step2', bytes: data.byteLength });
      const meta = Y.parseUpdateMeta(payload);
      const id = writerId();
      return void joiner.frames.push({ kind: 'update', from: meta.from.get(id) ?? -1, to: meta.to.get(id) ?? -1, bytes: payload.byteLength });
    }
    if (type === MESSAGE_TYPES.awareness) {
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      const clocks: Array<[number, number]> = [];
      for (let n = decoding.readVarUint(update); n > 0; n--) {
        const clientId = decoding.readVarUint(update);
        const clock = decoding.readVarUint(update);
        decoding.readVarString(update);
        clocks.push([clientId, clock]);
      }
      return void joiner.frames.push({ kind: 'awareness', clocks });
    }
    if (type === MESSAGE_TYPES.heartbeat) return void joiner.frames.push({ kind: 'heartbeat' });
    joiner.frames.push({ kind: 'other', type });
  });
  await once(ws, 'open');
  expect(ws.extensions).toMatch(/^permessage-deflate/);
  const step1 = encoding.createEncoder();
  encoding.writeVarUint(step1, MESSAGE_TYPES.sync);
  syncProtocol.writeSyncStep1(step1, joiner.doc);
  ws.send(encoding.toUint8Array(step1));
  return joiner;
}

/** What is wrong with one joiner's frame sequence, or [] (see the file comment). */
function orderProblems(joiner: Joiner): string[] {
  const problems: string[] = [];
  const step2s = joiner.frames.filter((f) => f.kind === 'step2');
  if (step2s.length !== 1) problems.push(`${step2s.length} first syncs`);
  else if (step2s[0]!.bytes < 16 * 1024) problems.push(`first sync of ${step2s[0]!.bytes} B, not over 16 KiB`);
  let end: number | null = null;
  let relays = 0;
  for (const frame of joiner.frames) {
    if (frame.kind !== 'update') continue;
    relays += 1;
    if (frame.from < 0) problems.push(`relay #${relays} holds nothing of the writer`);
    else if (end !== null && frame.from !== end) problems.push(`relay #${relays} starts at clock ${frame.from}, the one before ended at ${end}`);
    end = frame.to;
  }
  if (relays < 50) problems.push(`only ${relays} relays`);
  const lastClock = new Map<number, number>();
  for (const frame of joiner.frames) {
    if (frame.kind !== 'awareness') continue;
    for (const [id, clock] of frame.clocks) {
      if (clock < (lastClock.get(id) ?? 0)) problems.push(`presence of ${id} went from clock ${lastClock.get(id)} back to ${clock}`);
      lastClock.set(id, clock);
    }
  }
  const other = joiner.frames.filter((f) => f.kind === 'other');
  if (other.length > 0) problems.push(`${other.length} unexpected frames`);
  return problems.slice(0, 10);
}

const fx = useSyncFixture('mixroom-frame-order-');

describe.each(['on', 'off'] as const)('frame order per socket, SYNC_DIRECT_FRAMES=%s', (direct) => {
  it('every joiner gets each relay once and in order while big frames are deflated and small ones, presence, heartbeats and pings flow', async () => {
    // Pings every 2 s, interleaved with everything else (a socket that has not answered the last
    // one by the next is dropped: much shorter would drop sockets of a starved test process).
    fx.server = await startTestServer(testConfig(fx.dir.path, { SYNC_DIRECT_FRAMES: direct, PING_INTERVAL_MS: '2000' }));
    const url = fx.server.url;
    const ROOM = `frame-order-${direct}`;
    const writer = fx.open(url, ROOM, { user: 'writer' });
    const watcher = fx.open(url, ROOM, { user: 'watcher' });
    await whenSynced(writer);
    await whenSynced(watcher);
    // A room whose first sync is well over the deflate threshold.
    writer.doc.transact(() => {
      for (let i = 0; i < 3; i++) writer.doc.getMap('big').set(`seed-${i}`, noise(BIG_TEXT_BYTES));
    });
    await waitFor('watcher has the seed', () => watcher.doc.getMap('big').size === 3, 30_000);

    // The writer: small edits each tick, its cursor each tick, a big edit every 40th.
    const counter = writer.doc.getMap('m');
    let tick = 0;
    const load = setInterval(() => {
      tick += 1;
      for (let i = 0; i < 3; i++) counter.set(`c${i}`, tick);
      writer.provider.awareness.setLocalStateField('cursor', tick);
      if (tick % 40 === 0) writer.doc.getMap('big').set(`k${tick}`, noise(BIG_TEXT_BYTES));
    }, 2);
    const joiners: Joiner[] = [];
    const heartbeat = Uint8Array.of(MESSAGE_TYPES.heartbeat);
    const beats = setInterval(() => {
      for (const j of joiners) if (j.ws.readyState === WebSocket.OPEN) j.ws.send(heartbeat);
    }, 20);
    try {
      for (let i = 0; i < JOINERS; i++) {
        await new Promise((r) => setTimeout(r, 150));
        joiners.push(await join(url, ROOM, `joiner-${i}`, () => writer.doc.clientID));
      }
      // Everyone sees a good stretch of traffic and a ping after the last join.
      const until = tick + 400;
      const pinged = joiners.map((j) => j.pings + 1);
      await waitFor('the writer wrote on, every joiner was pinged', () => tick >= until && joiners.every((j, i) => j.pings >= pinged[i]!), 60_000);
    } finally {
      clearInterval(load);
    }

    const lease = await fx.server.services.rooms.acquire(ROOM as RoomId);
    try {
      await lease.room.whenDurable();
      const vector = (d: Y.Doc) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(d))].sort());
      const docs = [writer.doc, watcher.doc, ...joiners.map((j) => j.doc)];
      await waitFor('every document reached the server’s state', () => docs.every((d) => vector(d) === vector(lease.room.doc)), 30_000).catch((error: unknown) => {
        const behind = docs.map((d, i) => (vector(d) === vector(lease.room.doc) ? null : `doc ${i} at ${vector(d)}`)).filter((x) => x !== null);
        const sockets = joiners.map((j, i) => `joiner ${i}: ${j.closes} closes, ${j.pings} pings, order problems ${JSON.stringify(orderProblems(j))}`);
        throw new Error(`${String(error)}; server at ${vector(lease.room.doc)}; ${behind.join('; ')}; writer connected ${writer.provider.wsconnected}, watcher ${watcher.provider.wsconnected}; ${sockets.join('; ')}`);
      });
      const content = (d: Y.Doc) => JSON.stringify({ big: d.getMap('big').toJSON(), m: d.getMap('m').toJSON() });
      for (const d of docs) expect(content(d)).toBe(content(lease.room.doc));
      expect(lease.room.doc.getMap('m').get('c2')).toBe(tick);
    } finally {
      lease.release();
      // (until here: a heartbeating socket silent for 4 s is dropped)
      clearInterval(beats);
    }
    for (const [i, j] of joiners.entries()) {
      expect(orderProblems(j), `joiner ${i}`).toEqual([]);
      expect(j.closes, `joiner ${i} closes`).toBe(0);
      expect(j.pings, `joiner ${i} pings`).toBeGreaterThan(0);
      // Its heartbeats were answered (a few a second at most, see heartbeatEchoAllowed).
      expect(j.frames.filter((f) => f.kind === 'heartbeat').length).toBeGreaterThan(0);
      // It got big relays of its own (deflated), not just the first sync.
      expect(j.frames.filter((f) => f.kind === 'update' && f.bytes > BIG_TEXT_BYTES).length).toBeGreaterThan(0);
    }
    for (const j of joiners) j.ws.terminate();
  });
});
