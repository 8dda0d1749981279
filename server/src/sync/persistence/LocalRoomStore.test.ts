import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomId } from '@mixroom/shared/protocol';
import { createJsonLogger } from '../../log/Logger.ts';
import { LocalRoomStore } from './LocalRoomStore.ts';
import { SnapshotCorruptError } from './SnapshotFile.ts';

let dataDir: string;
const logger = createJsonLogger('error', () => undefined);
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mixroom-store-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Writes `count` keys through the store, one update per key, like a live room. */
async function writeKeys(store: LocalRoomStore, room: RoomId, keys: string[]): Promise<Y.Doc> {
  const opened = await store.open(room);
  const doc = new Y.Doc();
  for (const u of opened.updates) Y.applyUpdate(doc, u);
  const pending: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => pending.push(u));
  for (const k of keys) doc.getMap('m').set(k, k.length);
  await opened.storage.append(pending);
  await opened.storage.close();
  return doc;
}

async function loadJson(store: LocalRoomStore, room: RoomId): Promise<unknown> {
  const opened = await store.open(room);
  await opened.storage.close();
  const doc = new Y.Doc();
  for (const u of opened.updates) Y.applyUpdate(doc, u);
  return doc.getMap('m').toJSON();
}

describe('LocalRoomStore', () => {
  it('reports a new room, then restores appended and compacted state exactly', async () => {
    const store = new LocalRoomStore(dataDir, logger);
    await store.start();
    const room = 'fresh' as RoomId;
    const first = await store.open(room);
    expect(first.isNew).toBe(true);
    await first.storage.close();
    const doc = await writeKeys(store, room, ['a', 'bb', 'ccc']);
    expect(await loadJson(store, room)).toEqual(doc.getMap('m').toJSON());

    const opened = await store.open(room);
    expect(opened.isNew).toBe(false);
    await opened.storage.compact(Y.encodeStateAsUpdate(doc));
    expect(opened.storage.logBytes).toBe(0);
    await opened.storage.close();
    const after = await writeKeys(store, room, ['dddd']);
    expect(await loadJson(store, room)).toEqual({ a: 1, bb: 2, ccc: 3, dddd: 4 });
    expect(after.getMap('m').toJSON()).toEqual({ a: 1, bb: 2, ccc: 3, dddd: 4 });
  });

  it('loses nothing whichever compaction step a crash interrupts', async () => {
    const store = new LocalRoomStore(dataDir, logger);
    await store.start();
    const room = 'crashy' as RoomId;
    await writeKeys(store, room, ['a', 'b']);
    // Compact once so there is an old snapshot, then log more on top of it.
    {
      const opened = await store.open(room);
      const doc = new Y.Doc();
      for (const u of opened.updates) Y.applyUpdate(doc, u);
      await opened.storage.compact(Y.encodeStateAsUpdate(doc));
      await opened.storage.close();
    }
    const live = await writeKeys(store, room, ['c', 'd']);
    const expected = live.getMap('m').toJSON();
    const roomDir = join(dataDir, 'rooms', room);
    const snapshot = join(roomDir, 'snapshot.ydoc');
    const log = join(roomDir, 'updates.log');
    const oldSnapshot = await readFile(snapshot);
    const oldLog = await readFile(log);

    // Crash 1: while writing the temp snapshot (half of it on disk).
    const newState = Buffer.from(Y.encodeStateAsUpdate(live));
    await writeFile(`${snapshot}.tmp`, newState.subarray(0, newState.byteLength >> 1));
    expect(await loadJson(store, room)).toEqual(expected);

    // Crash 2: after the rename, before the log truncation: new snapshot + old log.
    {
      const opened = await store.open(room);
      await opened.storage.compact(Y.encodeStateAsUpdate(live));
      await opened.storage.close();
    }
    await writeFile(log, oldLog);
    expect(await loadJson(store, room)).toEqual(expected);

    // Crash 3: old snapshot, log already empty cannot happen (truncation follows the rename);
    // but old snapshot + old log (crash before the rename) must load too.
    await writeFile(snapshot, oldSnapshot);
    await writeFile(log, oldLog);
    expect(await loadJson(store, room)).toEqual(expected);
  });

  it('refuses a corrupt snapshot instead of silently dropping the room', async () => {
    const store = new LocalRoomStore(dataDir, logger);
    await store.start();
    const room = 'rotten' as RoomId;
    const doc = await writeKeys(store, room, ['x']);
    const opened = await store.open(room);
    await opened.storage.compact(Y.encodeStateAsUpdate(doc));
    await opened.storage.close();
    const snapshot = join(dataDir, 'rooms', room, 'snapshot.ydoc');
    const bytes = await readFile(snapshot);
    bytes[bytes.byteLength - 1]! ^= 1;
    await writeFile(snapshot, bytes);
    await expect(store.open(room)).rejects.toBeInstanceOf(SnapshotCorruptError);
  });
});
