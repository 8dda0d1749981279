import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomId } from '@mixroom/shared/protocol';
import { createJsonLogger } from '../../log/Logger.ts';
import { LocalRoomStore } from './LocalRoomStore.ts';
import { SnapshotCorruptError, writeSnapshotAtomic } from './SnapshotFile.ts';

let dataDir: string;
const logger = createJsonLogger('error', () => undefined);
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mixroom-store-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});
/** Every store a test opened; stopped after it (each holds its write-ahead segment open). */
const stores: LocalRoomStore[] = [];
const newStore = (...args: ConstructorParameters<typeof LocalRoomStore>) => {
  const store = new LocalRoomStore(...args);
  stores.push(store);
  return store;
};
afterEach(async () => {
  for (const store of stores.splice(0)) await store.stop();
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
    const store = newStore(dataDir, logger);
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
    const store = newStore(dataDir, logger);
    await store.start();
    const room = 'crashy' as RoomId;
    const roomDir = join(dataDir, 'rooms', room);
    const early = await writeKeys(store, room, ['a', 'b']);
    // Compact once (generation 1), then log more on top of it.
    await compactTo(store, room, early);
    const live = await writeKeys(store, room, ['c', 'd']);
    const expected = live.getMap('m').toJSON();
    expect((await readdir(roomDir)).sort()).toEqual(['snapshot-1.ydoc', 'updates-1.log', 'updates.log']);

    // Crash 1: while writing the next snapshot's temp file (half of it on disk).
    const newState = Buffer.from(Y.encodeStateAsUpdate(live));
    await writeFile(join(roomDir, 'snapshot-2.ydoc.tmp'), newState.subarray(0, newState.byteLength >> 1));
    expect(await loadJson(store, room)).toEqual(expected);
    expect(await readdir(roomDir)).not.toContain('snapshot-2.ydoc.tmp');

    // Crash 2: after the snapshot's rename, before its log exists.
    const snap1 = await readFile(join(roomDir, 'snapshot-1.ydoc'));
    await compactTo(store, room, live);
    await rm(join(roomDir, 'updates-2.log'));
    expect(await loadJson(store, room)).toEqual(expected);

    // Crash 3: the generation before the previous one was not deleted yet.
    await writeFile(join(roomDir, 'snapshot-1.ydoc'), snap1);
    expect(await loadJson(store, room)).toEqual(expected);
    // A later compaction clears it: two generations are kept.
    await compactTo(store, room, live);
    expect((await readdir(roomDir)).sort()).toEqual(['snapshot-2.ydoc', 'snapshot-3.ydoc', 'updates-2.log', 'updates-3.log']);
    expect(await loadJson(store, room)).toEqual(expected);
  });

  it('falls back to the previous snapshot and the logs since it when the newest is corrupt, loudly', async () => {
    const lines: string[] = [];
    const store = newStore(dataDir, createJsonLogger('warn', (l) => lines.push(l)));
    await store.start();
    const room = 'rotten' as RoomId;
    const roomDir = join(dataDir, 'rooms', room);
    const first = await writeKeys(store, room, ['x']);
    await compactTo(store, room, first);
    const second = await writeKeys(store, room, ['y']);
    await compactTo(store, room, second);
    const third = await writeKeys(store, room, ['z']);
    expect(third.getMap('m').toJSON()).toEqual({ x: 1, y: 1, z: 1 });

    // One flipped bit in the newest snapshot (generation 2): generation 1 plus its logs.
    await flipLastByte(join(roomDir, 'snapshot-2.ydoc'));
    expect(await loadJson(store, room)).toEqual({ x: 1, y: 1, z: 1 });
    const loud = lines.map((l) => JSON.parse(l) as { level: string; msg: string; file?: string });
    expect(loud.filter((l) => l.level === 'error').map((l) => l.file ?? l.msg)).toEqual([
      'snapshot-2.ydoc',
      'ROOM LOADED FROM AN OLDER SNAPSHOT',
    ]);

    // The room heals: the next compaction writes a good generation 3 from the full state.
    const healed = await store.open(room);
    const doc = new Y.Doc();
    for (const u of healed.updates) Y.applyUpdate(doc, u);
    await healed.storage.compact(Y.encodeStateAsUpdate(doc));
    await healed.storage.close();
    lines.length = 0;
    expect(await loadJson(store, room)).toEqual({ x: 1, y: 1, z: 1 });
    expect(lines).toEqual([]);
  });

  it('a corrupt first snapshot falls back to the room\'s first log', async () => {
    const store = newStore(dataDir, logger);
    await store.start();
    const room = 'rotten-first' as RoomId;
    const doc = await writeKeys(store, room, ['x', 'yy']);
    await compactTo(store, room, doc);
    await writeKeys(store, room, ['zzz']);
    await flipLastByte(join(dataDir, 'rooms', room, 'snapshot-1.ydoc'));
    expect(await loadJson(store, room)).toEqual({ x: 1, yy: 2, zzz: 3 });
  });

  it('refuses a room whose every kept snapshot is corrupt instead of serving part of it', async () => {
    const store = newStore(dataDir, logger);
    await store.start();
    const room = 'rotten-all' as RoomId;
    const roomDir = join(dataDir, 'rooms', room);
    const a = await writeKeys(store, room, ['x']);
    await compactTo(store, room, a);
    const b = await writeKeys(store, room, ['y']);
    await compactTo(store, room, b);
    await flipLastByte(join(roomDir, 'snapshot-1.ydoc'));
    await flipLastByte(join(roomDir, 'snapshot-2.ydoc'));
    await expect(store.open(room)).rejects.toBeInstanceOf(SnapshotCorruptError);
    // Nothing was deleted or rewritten: an operator can still recover the files.
    expect((await readdir(roomDir)).sort()).toEqual(['snapshot-1.ydoc', 'snapshot-2.ydoc', 'updates-1.log', 'updates-2.log']);
  });

  it('keeps what many rooms appended in one tick when their logs lose it in a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mixroom-store-wal-'));
    try {
      const crashed = newStore(dir, logger);
      await crashed.start();
      const rooms = Array.from({ length: 30 }, (_, i) => `tick-${i}` as RoomId);
      const docs = rooms.map(() => new Y.Doc());
      const opened = await Promise.all(rooms.map((room) => crashed.open(room)));
      const logSizes = await Promise.all(rooms.map((room) => stat(join(dir, 'rooms', room, 'updates.log')).then((s) => s.size)));
      // One tick: every room appends at once, like 30 busy rooms of a node.
      await Promise.all(
        opened.map((room, i) => {
          const updates: Uint8Array[] = [];
          docs[i]!.on('update', (u: Uint8Array) => updates.push(u));
          docs[i]!.getMap('m').set('k', i);
          docs[i]!.getMap('m').set('note', `room ${i}`);
          return room.storage.append(updates);
        }),
      );
      // The process dies before the OS wrote the room logs back: their appends never reached
      // the disk (cut back to their size before), one torn half-way. No close, no stop.
      for (const [i, room] of rooms.entries()) await truncate(join(dir, 'rooms', room, 'updates.log'), logSizes[i]!);
      await appendFile(join(dir, 'rooms', rooms[7]!, 'updates.log'), Buffer.from([9, 0, 0, 0, 1]));

      const restarted = newStore(dir, logger);
      await restarted.start();
      for (const [i, room] of rooms.entries()) expect(await loadJson(restarted, room)).toEqual({ k: i, note: `room ${i}` });
      await restarted.stop();
      // A clean stop leaves nothing to replay.
      expect(await readdir(join(dir, 'wal'))).toEqual([]);
      await Promise.all(opened.map((room) => room.storage.close()));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('retires write-ahead segments once the room logs they cover are flushed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mixroom-store-rotate-'));
    try {
      const store = newStore(dir, logger, { walSegmentBytes: 1024 });
      const rooms = Array.from({ length: 5 }, (_, i) => `rot-${i}` as RoomId);
      const opened = await Promise.all(rooms.map((room) => store.open(room)));
      const docs = rooms.map(() => new Y.Doc());
      for (let round = 0; round < 40; round++) {
        await Promise.all(
          opened.map((room, i) => {
            const updates: Uint8Array[] = [];
            const off = (u: Uint8Array) => updates.push(u);
            docs[i]!.on('update', off);
            docs[i]!.getMap('m').set(`k${round}`, round);
            docs[i]!.off('update', off);
            return room.storage.append(updates);
          }),
        );
      }
      // ~40 bytes a record, 200 records: several 1 KiB segments retired, their checkpoints done.
      await new Promise((r) => setTimeout(r, 100));
      expect((await readdir(join(dir, 'wal'))).length).toBeLessThanOrEqual(2);
      // The process dies: nothing was closed. Everything is in the room logs or the segment left.
      const restarted = newStore(dir, logger);
      for (const [i, room] of rooms.entries()) expect(await loadJson(restarted, room)).toEqual(docs[i]!.getMap('m').toJSON());
      await restarted.stop();
      await Promise.all(opened.map((room) => room.storage.close()));
      await store.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens a room stored before generations (snapshot.ydoc + updates.log) and compacts it onward', async () => {
    const store = newStore(dataDir, logger);
    await store.start();
    const room = 'legacy' as RoomId;
    const roomDir = join(dataDir, 'rooms', room);
    const doc = new Y.Doc();
    doc.getMap('m').set('old', 1);
    await mkdir(roomDir, { recursive: true });
    await writeSnapshotAtomic(join(roomDir, 'snapshot.ydoc'), Y.encodeStateAsUpdate(doc));
    const live = await writeKeys(store, room, ['new']);
    expect(await loadJson(store, room)).toEqual({ old: 1, new: 3 });
    await compactTo(store, room, live);
    await compactTo(store, room, live);
    expect((await readdir(roomDir)).sort()).toEqual(['snapshot-1.ydoc', 'snapshot-2.ydoc', 'updates-1.log', 'updates-2.log']);
    expect(await loadJson(store, room)).toEqual({ old: 1, new: 3 });
  });
});

async function compactTo(store: LocalRoomStore, room: RoomId, doc: Y.Doc): Promise<void> {
  const opened = await store.open(room);
  await opened.storage.compact(Y.encodeStateAsUpdate(doc));
  expect(opened.storage.logBytes).toBe(0);
  await opened.storage.close();
}

async function flipLastByte(path: string): Promise<void> {
  const bytes = await readFile(path);
  bytes[bytes.byteLength - 1]! ^= 1;
  await writeFile(path, bytes);
}
