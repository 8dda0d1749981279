import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '@mixroom/shared/model';
import { addTrack, setTrackParam } from '@mixroom/shared/ops';
import { createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { createJsonLogger } from '../log/Logger.ts';
import { LocalRoomStore } from './persistence/LocalRoomStore.ts';
import { Room } from './Room.ts';

let dataDir: string;
let store: LocalRoomStore;
const logger = createJsonLogger('error', () => undefined);
const rooms: Room[] = [];
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mixroom-roomsize-'));
  store = new LocalRoomStore(dataDir, logger);
  await store.start();
});
afterAll(async () => {
  for (const room of rooms) await room.shutdown();
  await store.stop?.();
  await rm(dataDir, { recursive: true, force: true });
});

async function openRoom(id: string, options: { maxRoomBytes: number; hibernateAfterMs?: number }): Promise<Room> {
  const opened = await store.open(id as RoomId);
  const room = new Room(id as RoomId, opened.storage, { compactLogBytes: 64 * 2 ** 20, logger, onFailed: () => undefined, ...options });
  room.restore(opened.updates);
  room.start();
  rooms.push(room);
  return room;
}

/** `count` fader moves by one client, each its own update, as a client would send them. */
function faderChurn(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = 7;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const origin = createOrigin('local-user', 'u');
  initMixDoc(doc, { title: 'Churn', sampleRate: 48_000 });
  addTrack(doc, { name: 'Kick', stem: null, id: 'kick' }, origin);
  for (let i = 0; i < count; i++) setTrackParam(doc, { trackId: 'kick', param: 'gain', value: -30 + (i % 300) / 10 }, origin);
  doc.destroy();
  return updates;
}

/** A client's update of one new string of `bytes` characters under `key`. */
function bigWrite(key: string, bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('junk').set(key, 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(doc);
}

describe('Room.admits', () => {
  it('measures a churned doc instead of refusing for its history: 20k fader moves encode far smaller', async () => {
    const updates = faderChurn(20_000);
    const sent = updates.reduce((n, u) => n + u.byteLength, 0);
    const doc = new Y.Doc();
    for (const u of updates) Y.applyUpdate(doc, u);
    const encoded = Y.encodeStateAsUpdate(doc).byteLength;
    // The measured shrink (also what compaction stores instead of the log).
    console.log(`20k fader moves: ${sent} bytes sent, ${encoded} bytes encoded`);
    expect(encoded * 4).toBeLessThan(sent);
    // A limit between the two: every move is admitted, since the room measures before refusing.
    const room = await openRoom('churn', { maxRoomBytes: Math.round((sent + encoded) / 2) });
    for (const u of updates) {
      expect(room.admits(u)).toBe(true);
      Y.applyUpdate(room.doc, u);
    }
    expect(room.admits(bigWrite('late', 1024))).toBe(true);
    expect(room.admits(bigWrite('huge', sent))).toBe(false);
  });

  it('refuses growth past the limit but always admits deletions, hibernating or not', async () => {
    const room = await openRoom('full', { maxRoomBytes: 64 * 1024, hibernateAfterMs: 1 });
    const client = new Y.Doc();
    const updates: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => updates.push(u));
    client.getMap('junk').set('a', 'x'.repeat(40 * 1024));
    expect(room.admits(updates[0]!)).toBe(true);
    Y.applyUpdate(room.doc, updates[0]!);
    client.getMap('junk').set('b', 'x'.repeat(30 * 1024));
    expect(room.admits(updates[1]!)).toBe(false);
    client.getMap('junk').delete('a');
    const deletion = updates[2]!;
    await room.whenDurable();
    await new Promise<void>((resolve) => {
      const check = () => (room.isHibernating ? resolve() : setTimeout(check, 5));
      check();
    });
    // Judged from the kept state, without waking the room.
    expect(room.admits(updates[1]!)).toBe(false);
    expect(room.admits(deletion)).toBe(true);
    expect(room.isHibernating).toBe(true);
    Y.applyUpdate(room.doc, deletion);
    // Measured again once the last measure's idle time is over (see MEASURE_IDLE_FACTOR).
    const deadline = Date.now() + 10_000;
    while (!room.admits(updates[1]!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(room.admits(updates[1]!)).toBe(true);
  });
});
