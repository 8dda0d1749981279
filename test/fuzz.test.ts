import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { CLOSE_CODES, MESSAGE_TYPES } from '@mixroom/shared/protocol';
import type { RunningServer } from '../server/src/createServer.ts';
import { REJECT_DETAILED_PER_WINDOW, REJECT_WINDOW_MS } from '../server/src/sync/RejectLog.ts';
import {
  connectClient,
  makeTempDir,
  startTestServer,
  testConfig,
  waitFor,
  whenSynced,
  type LogLine,
} from './integration/syncHarness.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const FRAMES = 10_000;
const WORKERS = 8;
const MAX_MESSAGE_BYTES = 64 * 1024;

/** Valid frames of every message type, built with a real Y.Doc and Awareness. */
function buildCorpus(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const map = doc.getMap('mix');
  const text = doc.getText('notes');
  for (let i = 0; i < 12; i++) {
    map.set(`fader${i}`, -i * 1.5);
    text.insert(0, `note ${i} `);
    if (i % 3 === 0) map.delete(`fader${i - 1}`);
  }
  map.set('nested', new Y.Map([['eq', new Y.Array()]]));
  const frame = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    write(e);
    return encoding.toUint8Array(e);
  };
  const sync = (write: (e: encoding.Encoder) => void) =>
    frame((e) => {
      encoding.writeVarUint(e, MESSAGE_TYPES.sync);
      write(e);
    });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: 'Fuzz', color: '#ff0000' }, playhead: 3.25 });
  const corpus = [
    sync((e) => syncProtocol.writeSyncStep1(e, doc)),
    sync((e) => syncProtocol.writeSyncStep2(e, doc, new Uint8Array([0]))),
    ...updates.map((u) => sync((e) => syncProtocol.writeUpdate(e, u))),
    frame((e) => {
      encoding.writeVarUint(e, MESSAGE_TYPES.awareness);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
    }),
    frame((e) => encoding.writeVarUint(e, MESSAGE_TYPES.queryAwareness)),
  ];
  awareness.destroy();
  return corpus;
}

type Frame = Uint8Array | string;

/** One fuzz frame: a valid frame, a mutation of one, a huge length, random bytes or text. */
function makeFrame(gen: prng.PRNG, corpus: Uint8Array[]): Frame {
  const pick = prng.int32(gen, 0, 99);
  const base = prng.oneOf(gen, corpus);
  if (pick < 10) return base;
  if (pick < 70) return mutate(gen, base);
  if (pick < 80) {
    // A plausible header followed by a length far beyond the frame.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, prng.oneOf(gen, [0, 0, 1, 3]));
    if (prng.bool(gen)) encoding.writeVarUint(e, prng.int32(gen, 0, 2));
    encoding.writeVarUint(e, prng.oneOf(gen, [2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, 0x7fffffff]));
    encoding.writeUint8Array(e, prng.uint8Array(gen, prng.int32(gen, 0, 16)));
    return encoding.toUint8Array(e);
  }
  if (pick < 92) return prng.uint8Array(gen, prng.int32(gen, 0, 300));
  if (pick < 96) return prng.word(gen, 0, 40);
  // Unknown or server-only message types with random payloads.
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, prng.oneOf(gen, [2, 4, 5, 17, 127, 128, 255, 1000, 2 ** 40]));
  encoding.writeUint8Array(e, prng.uint8Array(gen, prng.int32(gen, 0, 32)));
  return encoding.toUint8Array(e);
}

function mutate(gen: prng.PRNG, frame: Uint8Array): Uint8Array {
  let bytes = Array.from(frame);
  const count = prng.int32(gen, 1, 4);
  for (let i = 0; i < count && bytes.length > 0; i++) {
    const at = prng.int32(gen, 0, bytes.length - 1);
    switch (prng.int32(gen, 0, 5)) {
      case 0:
        bytes[at]! ^= 1 << prng.int32(gen, 0, 7);
        break;
      case 1:
        bytes[at] = prng.int32(gen, 0, 255);
        break;
      case 2:
        bytes.splice(at, 0, prng.int32(gen, 0, 255));
        break;
      case 3:
        bytes.splice(at, 1);
        break;
      case 4:
        bytes = bytes.slice(0, at);
        break;
      default:
        bytes.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x0f);
    }
  }
  return new Uint8Array(bytes);
}

/** Sends frames on one socket at a time; a ping after each makes it a round trip. */
async function sendUntilClosed(
  url: string,
  next: () => Frame | null,
  codes: Map<number, number>,
): Promise<number> {
  const ws = new WebSocket(url);
  let closed = false;
  const closedWith = new Promise<void>((resolve) => {
    ws.on('close', (code) => {
      closed = true;
      codes.set(code, (codes.get(code) ?? 0) + 1);
      resolve();
    });
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('close', () => resolve());
  });
  let sent = 0;
  while (!closed) {
    const frame = next();
    if (frame === null) break;
    ws.send(frame);
    sent += 1;
    await Promise.race([new Promise<void>((resolve) => ws.once('pong', () => resolve()) && ws.ping()), closedWith]);
  }
  if (!closed) ws.close();
  await closedWith;
  return sent;
}

let dir: { path: string; remove(): Promise<void> };
let server: RunningServer | null = null;
beforeAll(async () => {
  dir = await makeTempDir('mixroom-fuzz-');
});
afterEach(async () => {
  await server?.close();
  server = null;
});
afterAll(async () => {
  await dir.remove();
});

// The second run has rooms hibernate after 1 ms without a change, so frames keep meeting rooms
// without a doc: joins from the kept state, wakes on edits, refusals after a wake.
describe.each<{ variant: string; env: Record<string, string> }>([
  { variant: 'awake rooms', env: {} },
  { variant: 'rooms hibernating between frames', env: { ROOM_HIBERNATE_MS: '1' } },
])('fuzzing the sync endpoint ($variant)', ({ variant, env }) => {
  it(`survives ${FRAMES} random and mutated frames; other rooms and stored state unharmed`, async () => {
    const lines: LogLine[] = [];
    const config = testConfig(join(dir.path, variant.replaceAll(' ', '-')), { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), ...env });
    server = await startTestServer(config, { lines });
    const startedAt = performance.now();
    const wsBase = server.url.replace('http', 'ws') + '/sync/';

    // A healthy room, edited before and during the fuzzing.
    const a = connectClient(server.url, 'healthy', { user: 'a' });
    const b = connectClient(server.url, 'healthy', { user: 'b' });
    await Promise.all([whenSynced(a), whenSynced(b)]);
    a.doc.getMap('m').set('before', 1);
    await waitFor('b synced before', () => b.doc.getMap('m').get('before') === 1);

    const gen = prng.create(SEED);
    const corpus = buildCorpus();
    let remaining = FRAMES;
    const next = () => (remaining-- > 0 ? makeFrame(gen, corpus) : null);
    const codes = new Map<number, number>();
    let sent = 0;
    let edits = 0;
    const editing = setInterval(() => a.doc.getMap('m').set(`during${edits}`, edits++), 20);
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        while (remaining > 0) {
          const n = await sendUntilClosed(`${wsBase}fuzz-${w % 3}`, next, codes);
          sent += n;
        }
      }),
    );
    // Oversized frames: refused with 4413 up to twice the limit, 1009 by ws beyond it.
    for (const size of [MAX_MESSAGE_BYTES + 1, MAX_MESSAGE_BYTES * 2 - 16, MAX_MESSAGE_BYTES * 2 + 1, 10 * MAX_MESSAGE_BYTES]) {
      const frame = new Uint8Array(size);
      frame[0] = MESSAGE_TYPES.sync;
      let handed = false;
      await sendUntilClosed(`${wsBase}fuzz-big`, () => (handed ? null : ((handed = true), frame)), codes);
      sent += 1;
    }
    clearInterval(editing);

    // 1005 (no status) is our own fuzzer closing a socket that survived its last frame.
    const allowed = new Set<number>([...Object.values(CLOSE_CODES), 1005]);
    const summary = Object.fromEntries([...codes].sort((x, y) => y[1] - x[1]));
    console.info(`fuzz: seed ${SEED}, ${sent} frames, close codes ${JSON.stringify(summary)}`);
    expect(sent).toBeGreaterThanOrEqual(FRAMES);
    expect([...codes.keys()].filter((c) => !allowed.has(c))).toEqual([]);
    expect(codes.get(CLOSE_CODES.badMessage) ?? 0).toBeGreaterThan(1000);
    expect(codes.get(CLOSE_CODES.messageTooLarge)).toBe(2);
    expect(codes.get(CLOSE_CODES.transportMessageTooBig)).toBe(2);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    // (the hibernating run did meet rooms without a doc, again and again)
    if ('ROOM_HIBERNATE_MS' in env) expect(lines.filter((l) => l.msg === 'room woke').length).toBeGreaterThan(100);

    // The process is healthy and the healthy room still syncs.
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    a.doc.getMap('m').set('after', true);
    await waitFor('b synced after', () => b.doc.getMap('m').get('after') === true);
    expect(b.doc.getMap('m').toJSON()).toEqual(a.doc.getMap('m').toJSON());
    const expected = a.doc.getMap('m').toJSON();
    const expectedClients = [...Y.decodeStateVector(Y.encodeStateVector(a.doc)).keys()].sort();
    a.destroy();
    b.destroy();

    // Stored state: a restarted server holds exactly the healthy room's edits, nothing else,
    // and the fuzzed rooms still load.
    const port = server.port;
    await server.close();
    // Closing wrote the last summary: every refused socket is accounted for, in a handful of
    // lines (a few in full, then one summary per window). The bound follows the run's length,
    // so a slow machine (more windows) does not fail it and a flood of lines still does.
    const windows = Math.ceil((performance.now() - startedAt) / REJECT_WINDOW_MS) + 1;
    const detailed = lines.filter((l) => l.msg === 'closing sync connection').length;
    const summaries = lines.filter((l) => l.msg === 'sync connections refused');
    const suppressed = summaries.reduce((n, l) => n + Number(l.fields.suppressed), 0);
    expect(detailed + suppressed).toBeGreaterThan(1000);
    expect(detailed + summaries.length).toBeLessThanOrEqual(windows * (REJECT_DETAILED_PER_WINDOW + 1));
    server = await startTestServer({ ...config, port }, { lines });
    const fresh = connectClient(server.url, 'healthy', { user: 'c' });
    const fuzzed = connectClient(server.url, 'fuzz-0', { user: 'c' });
    await Promise.all([whenSynced(fresh), whenSynced(fuzzed)]);
    expect(fresh.doc.getMap('m').toJSON()).toEqual(expected);
    expect([...Y.decodeStateVector(Y.encodeStateVector(fresh.doc)).keys()].sort()).toEqual(expectedClients);
    expect(Object.keys(expected).length).toBeGreaterThan(2);
    fresh.destroy();
    fuzzed.destroy();
  });
});
