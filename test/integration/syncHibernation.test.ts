import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findBusCycle, initMixDoc, readMixState } from '@mixroom/shared/model';
import { addTrack, setTrackParam } from '@mixroom/shared/ops';
import { CLOSE_CODES, createOrigin, MESSAGE_TYPES, type RoomId } from '@mixroom/shared/protocol';
import type { RunningServer } from '../../server/src/createServer.ts';
import { openMixRoom } from '../../server/src/rooms/openMixRoom.ts';
import { hourSessionState } from '../bench/hourSessionState.ts';
import { addTwoGroups, mergeOfflineCycle } from './offlineBusCycle.ts';
import { kill9, spawnServerProcess, type ServerProcess } from './spawnServerProcess.ts';
import {
  connectClient,
  joinOpenRoom,
  makeTempDir,
  startTestServer,
  testConfig,
  waitFor,
  whenSynced,
  type LogLine,
  type TestClient,
} from './syncHarness.ts';

/**
 * Hibernation (see `Room`): a room whose mix saw no change for ROOM_HIBERNATE_MS drops its
 * Y.Doc while its sockets stay open. Real server on port 0, real y-websocket clients.
 */
const HIBERNATE_MS = 150;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Heap in use after full collections (the doc's memory is only counted once collected). */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let server: RunningServer | null = null;
const clients: TestClient[] = [];
beforeAll(async () => {
  dir = await makeTempDir('mixroom-hibernate-');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.close();
  server = null;
});
afterAll(async () => {
  await dir.remove();
});

async function isHibernating(roomId: string): Promise<boolean> {
  const lease = await server!.services.rooms.acquire(roomId as RoomId);
  try {
    return lease.room.isHibernating;
  } finally {
    lease.release();
  }
}

async function waitHibernating(roomId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await isHibernating(roomId))) {
    if (Date.now() > deadline) throw new Error(`room ${roomId} did not hibernate`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function connect(roomId: string, user: string, doc?: Y.Doc): TestClient {
  const client = connectClient(server!.url, roomId, { user }, doc ? { doc } : {});
  clients.push(client);
  return client;
}

const woke = (lines: LogLine[], roomId: string) => lines.filter((l) => l.msg === 'room woke' && l.fields.roomId === roomId).length;
const mixInit = (doc: Y.Doc) => initMixDoc(doc, { title: 'Quiet', sampleRate: 48000 });

/** Every stored file of a room (its log and snapshots), by name. */
async function storedFiles(roomId: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (full.includes(roomId)) files.set(full, (await readFile(full)).toString('base64'));
    }
  };
  await walk(dir.path);
  return files;
}

/** A raw socket sending one sync update; resolves with the close code the server chose. */
function sendRawUpdate(roomId: string, update: Uint8Array): Promise<number> {
  const ws = new WebSocket(`${server!.url.replace(/^http/, 'ws')}/sync/${roomId}?user=raw`);
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_TYPES.sync);
      syncProtocol.writeUpdate(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
    });
    ws.on('close', (code) => resolve(code));
  });
}

describe('a quiet room hibernates: no Y.Doc while its sockets stay open', () => {
  it('drops its document under quiet clients and its heap falls by the document', async () => {
    const state = hourSessionState();
    // Long enough to measure the awake room first on a busy machine.
    server = await startTestServer(testConfig(dir.path, { ROOM_HIBERNATE_MS: '10000' }), { initRoom: (doc) => Y.applyUpdate(doc, state) });
    const a = connect('hour', 'a');
    const b = connect('hour', 'b');
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const lease = await server.services.rooms.acquire('hour' as RoomId);
    const liveDoc = new WeakRef(lease.room.doc);
    const awake = await settledHeap();
    expect(lease.room.isHibernating).toBe(false);

    await waitFor('hibernated', () => lease.room.isHibernating, 30_000);
    const asleep = await settledHeap();
    lease.release();
    // What one more copy of this state costs on the heap, measured the same way.
    const probe = new Y.Doc();
    Y.applyUpdate(probe, state);
    const withProbe = await settledHeap();
    probe.destroy();
    // The room's doc is gone (nothing keeps it), and so is about a document's worth of heap.
    expect(liveDoc.deref()).toBeUndefined();
    const oneDoc = withProbe - asleep;
    expect(oneDoc).toBeGreaterThan(5 * 1024 * 1024);
    expect(awake - asleep).toBeGreaterThan(0.7 * oneDoc);
    // The sockets stayed open and still sync.
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    console.info(`hibernation: one doc ${(oneDoc / 2 ** 20).toFixed(1)} MiB on the heap; the room freed ${((awake - asleep) / 2 ** 20).toFixed(1)} MiB`);
  }, 120_000);

  it('serves a late joiner and a reconnecting client without waking; an edit wakes it and reaches everyone', async () => {
    const lines: LogLine[] = [];
    server = await startTestServer(testConfig(dir.path, { ROOM_HIBERNATE_MS: String(HIBERNATE_MS) }), { initRoom: mixInit, openRoom: openMixRoom, lines });
    const a = connect('late', 'a');
    const b = connect('late', 'b');
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const origin = createOrigin('local-user', 'a');
    const trackId = 'lead';
    addTrack(a.doc, { name: 'Lead', stem: null, id: trackId }, origin);
    for (let i = 0; i <= 50; i++) setTrackParam(a.doc, { trackId, param: 'gain', value: -i / 5 }, origin);
    // Relayed, so in the room's doc: the next hibernation keeps it.
    await waitFor('relayed to b', () => readMixState(b.doc).tracks[0]?.gain === -10);
    await waitHibernating('late');
    const wokeBefore = woke(lines, 'late');

    // A late joiner: sync step 1/2 from the kept state; it converges with a.
    const c = connect('late', 'c');
    await whenSynced(c);
    expect(readMixState(c.doc)).toEqual(readMixState(a.doc));
    expect(Y.encodeStateVector(c.doc)).toEqual(Y.encodeStateVector(a.doc));
    // A client reconnecting with the whole document: its step 2 brings nothing new.
    a.provider.disconnect();
    a.provider.connect();
    await waitFor('a back', () => a.provider.synced && a.provider.wsconnected);
    await new Promise((r) => setTimeout(r, 50));
    expect(await isHibernating('late')).toBe(true);
    expect(woke(lines, 'late')).toBe(wokeBefore);

    // An edit wakes the room and reaches the others.
    setTrackParam(c.doc, { trackId, param: 'gain', value: -3.5 }, createOrigin('local-user', 'c'));
    await waitFor('edit reached a', () => readMixState(a.doc).tracks[0]?.gain === -3.5);
    expect(woke(lines, 'late')).toBe(wokeBefore + 1);
    // It went through the durable path: a fresh joiner after hibernating again sees it.
    await waitHibernating('late');
    const d = connect('late', 'd');
    await whenSynced(d);
    expect(readMixState(d.doc).tracks[0]?.gain).toBe(-3.5);
  }, 60_000);

  it('wakes a room holding many tombstones to the very state it slept with; the log line times the steps', async () => {
    // Ten minutes of the bench's session: thousands of overwritten fader values kept as tombstones.
    const state = hourSessionState(600);
    const lines: LogLine[] = [];
    server = await startTestServer(testConfig(dir.path, { ROOM_HIBERNATE_MS: String(HIBERNATE_MS) }), { initRoom: (doc) => Y.applyUpdate(doc, state), openRoom: openMixRoom, lines });
    const { rooms } = server.services;
    const a = connect('tombs', 'a');
    await whenSynced(a);
    const encode = (doc: Y.Doc) => ({ v2: Y.encodeStateAsUpdateV2(doc), sv: Y.encodeStateVector(doc) });
    // (On a busy machine the room may already sleep here: this read then wakes it first.)
    const awake = await rooms.withRoom('tombs' as RoomId, encode);
    await waitHibernating('tombs');
    const wokeBefore = woke(lines, 'tombs');
    // A read wakes it: the doc rebuilt from the kept state, with the open hook run again, is
    // byte for byte the one that went to sleep (nothing lost, nothing repaired twice).
    const woken = await rooms.withRoom('tombs' as RoomId, encode);
    expect(woke(lines, 'tombs')).toBe(wokeBefore + 1);
    expect(woken.sv).toEqual(awake.sv);
    expect(woken.v2).toEqual(awake.v2);
    const line = lines.filter((l) => l.msg === 'room woke' && l.fields.roomId === 'tombs').at(-1)!;
    const { tookMs, applyMs, openMs, cpuMs } = line.fields as { tookMs: number; applyMs: number; openMs: number; cpuMs: number };
    expect(applyMs).toBeGreaterThan(0);
    expect(openMs).toBeGreaterThanOrEqual(0);
    // Each is rounded to 0.1 ms.
    expect(applyMs + openMs).toBeLessThanOrEqual(tookMs + 0.2);
    expect(cpuMs).toBeGreaterThan(0);
  }, 120_000);

  it('wakes for a server write or read (stems, review, version snapshots go through withRoom), durably and relayed', async () => {
    const lines: LogLine[] = [];
    server = await startTestServer(testConfig(dir.path, { ROOM_HIBERNATE_MS: String(HIBERNATE_MS) }), { initRoom: mixInit, openRoom: openMixRoom, lines });
    const a = connect('served', 'a');
    await whenSynced(a);
    await waitHibernating('served');
    const wokeBefore = woke(lines, 'served');
    const { rooms } = server.services;
    await rooms.withRoom('served' as RoomId, (doc, origin) => addTrack(doc, { name: 'Bass', stem: null, id: 'bass' }, origin), { actor: 'stems' });
    expect(woke(lines, 'served')).toBe(wokeBefore + 1);
    await waitFor('server write relayed', () => readMixState(a.doc).tracks.some((t) => t.id === 'bass'));
    // A read after the room slept again sees the whole state, like a version snapshot does.
    await waitHibernating('served');
    expect(await rooms.withRoom('served' as RoomId, (doc) => readMixState(doc))).toEqual(readMixState(a.doc));
    expect(woke(lines, 'served')).toBe(wokeBefore + 2);
  }, 60_000);

  it('refuses a malformed or dependency-missing update to a hibernating room with 4422; nothing stored changes', async () => {
    server = await startTestServer(testConfig(dir.path, { ROOM_HIBERNATE_MS: String(HIBERNATE_MS) }), { initRoom: mixInit, openRoom: openMixRoom });
    const a = connect('guarded', 'a');
    const watcher = connect('guarded', 'w');
    await Promise.all([whenSynced(a), whenSynced(watcher)]);
    a.doc.getMap('m').set('before', 1);
    await waitFor('relayed', () => watcher.doc.getMap('m').get('before') === 1);
    await waitHibernating('guarded');
    const before = await storedFiles('guarded');
    expect(before.size).toBeGreaterThan(0);

    // Structs whose dependencies nobody has: the second of two updates of an unknown client.
    const stranger = new Y.Doc();
    const updates: Uint8Array[] = [];
    stranger.on('update', (u: Uint8Array) => updates.push(u));
    stranger.getArray('x').insert(0, ['first']);
    stranger.getArray('x').insert(1, ['second']);
    expect(await sendRawUpdate('guarded', updates[1]!)).toBe(CLOSE_CODES.updateRejected);
    // Garbage that does not decode.
    expect(await sendRawUpdate('guarded', Uint8Array.of(1, 2, 200, 200, 200, 7))).toBe(CLOSE_CODES.updateRejected);

    await waitHibernating('guarded');
    expect(await storedFiles('guarded')).toEqual(before);
    const b = connect('guarded', 'b');
    await whenSynced(b);
    expect(b.doc.getArray('x').length).toBe(0);
    expect(b.doc.getMap('m').get('before')).toBe(1);
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(a.doc));
  }, 60_000);

  it('runs the server-side repair again after a wake: a cycle made offline is broken for both', async () => {
    const lines: LogLine[] = [];
    server = await startTestServer(testConfig(dir.path, { ROOM_HIBERNATE_MS: String(HIBERNATE_MS) }), { initRoom: mixInit, openRoom: openMixRoom, lines });
    const a = connect('cycle', 'a');
    const b = connect('cycle', 'b');
    await Promise.all([whenSynced(a), whenSynced(b)]);
    await addTwoGroups(a, b);
    await waitHibernating('cycle');
    const wokeBefore = woke(lines, 'cycle');
    // The reconnecting clients' edits wake the room; its repair observers must be back.
    await mergeOfflineCycle(a, b);
    expect(woke(lines, 'cycle')).toBeGreaterThan(wokeBefore);
    expect(findBusCycle(readMixState(a.doc).buses)).toBeNull();
    expect(readMixState(b.doc)).toEqual(readMixState(a.doc));
  }, 60_000);
});

const spawnServer = (dataDir: string, room: string) => spawnServerProcess(dataDir, { OPEN_ROOMS: room, ROOM_HIBERNATE_MS: String(HIBERNATE_MS), LOG_LEVEL: 'debug' });

describe('crash right after a wake (kill -9 of a real server process)', () => {
  it('keeps every update a client saw relayed by a room that just woke', async () => {
    const ROOM = 'wake-crash';
    const crashDir = await makeTempDir('mixroom-wake-crash-');
    const mustSurvive = new Set<string>();
    let current: ServerProcess | null = null;
    try {
      for (let cycle = 0; cycle < 3; cycle++) {
        current = await spawnServer(crashDir.path, ROOM);
        const proc: ServerProcess = current;
        const count = (msg: string) => proc.lines.filter((l) => l.includes(`"msg":"${msg}"`) && l.includes(`"roomId":"${ROOM}"`)).length;
        const cookie = await joinOpenRoom(proc.url, ROOM);
        const writer = connectClient(proc.url, ROOM, {}, { cookie });
        const observer = connectClient(proc.url, ROOM, {}, { cookie });
        await Promise.all([whenSynced(writer), whenSynced(observer)]);
        for (const key of mustSurvive) expect(observer.doc.getMap('m').has(key), key).toBe(true);
        writer.doc.getMap('m').set(`warm-${cycle}`, 1);
        await waitFor('warm relayed', () => observer.doc.getMap('m').has(`warm-${cycle}`));
        await waitFor('hibernated', () => count('room hibernated') > 0 && count('room hibernated') > count('room woke'), 15_000);

        const seen = new Set<string>();
        observer.doc.getMap('m').observe((event) => {
          for (const key of event.keysChanged) seen.add(key);
        });
        let written = 0;
        // The first of these wakes the room; the kill lands as soon as its relay arrives.
        const timer = setInterval(() => {
          for (let i = 0; i < 5; i++) writer.doc.getMap('m').set(`c${cycle}-${written++}`, 'x'.repeat(40));
        }, 1);
        await waitFor('observer saw the woken room relay', () => seen.size > 0);
        await kill9(proc);
        clearInterval(timer);
        current = null;
        // Frames already in the observer's socket were relayed before the kill: count them too.
        await new Promise((r) => setTimeout(r, 100));
        expect(count('room woke')).toBeGreaterThan(0);
        for (const key of seen) mustSurvive.add(key);
        writer.destroy();
        observer.destroy();
      }
      current = await spawnServer(crashDir.path, ROOM);
      const reader = connectClient(current.url, ROOM, {}, { cookie: await joinOpenRoom(current.url, ROOM) });
      await whenSynced(reader);
      const missing = [...mustSurvive].filter((k) => !reader.doc.getMap('m').has(k));
      expect(missing).toEqual([]);
      expect(mustSurvive.size).toBeGreaterThan(0);
      reader.destroy();
      console.info(`wake crash: ${mustSurvive.size} keys seen relayed right after 3 wakes, 0 missing after kill -9`);
    } finally {
      if (current) await kill9(current);
      await crashDir.remove();
    }
  }, 300_000);
});
