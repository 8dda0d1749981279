import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomId } from '@mixroom/shared/protocol';
import { createJsonLogger } from '../log/Logger.ts';
import { LocalRoomStore } from './persistence/LocalRoomStore.ts';
import type { OpenedRoom, RoomStore } from './persistence/RoomStore.ts';
import { RoomRegistry } from './RoomRegistry.ts';

let dataDir: string;
const logger = createJsonLogger('error', () => undefined);
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mixroom-registry-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Every store a test made, stopped after it: a started store holds the write-ahead log's file open. */
const stores: LocalRoomStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.stop();
});
function localStore(): LocalRoomStore {
  const store = new LocalRoomStore(dataDir, logger);
  stores.push(store);
  return store;
}

/** The real local store, observed: counts how many handles per room are open at once. */
class ObservedStore implements RoomStore {
  open_ = 0;
  maxOpen = 0;
  opens = 0;
  constructor(private readonly inner: RoomStore) {}
  start() {
    return this.inner.start();
  }
  async stop() {
    await this.inner.stop?.();
  }
  async open(roomId: RoomId): Promise<OpenedRoom> {
    this.opens += 1;
    this.open_ += 1;
    this.maxOpen = Math.max(this.maxOpen, this.open_);
    const opened = await this.inner.open(roomId);
    const close = opened.storage.close.bind(opened.storage);
    opened.storage.close = async () => {
      this.open_ -= 1;
      await close();
    };
    return opened;
  }
}

describe('RoomRegistry', () => {
  it('never opens a room twice while it unloads, and reloads it with every write', async () => {
    const store = new ObservedStore(localStore());
    await store.start();
    const rooms = new RoomRegistry({ store, initRoom: () => undefined, logger, idleUnloadMs: 0, compactLogBytes: 64 });
    const room = 'race' as RoomId;
    for (let i = 0; i < 40; i++) {
      // Writes, lets the lease go (an unload starts on the next tick) and re-acquires at
      // slightly different moments around it.
      await rooms.withRoom(room, (doc, origin) => doc.transact(() => doc.getMap('m').set(`k${i}`, i), origin));
      if (i % 3 === 0) await new Promise((r) => setTimeout(r, 1));
      if (i % 3 === 1) await new Promise((r) => setImmediate(r));
    }
    const lease = await rooms.acquire(room);
    expect(lease.room.doc.getMap('m').size).toBe(40);
    lease.release();
    await rooms.close();
    expect(store.maxOpen).toBe(1);
    expect(store.open_).toBe(0);
    expect(store.opens).toBeGreaterThan(1);
  });

  it('withRoom writes carry the server origin and are durable when it resolves', async () => {
    const store = localStore();
    await store.start();
    const rooms = new RoomRegistry({ store, initRoom: () => undefined, logger, idleUnloadMs: 60_000, compactLogBytes: 1 << 20 });
    const room = 'origin' as RoomId;
    const origins: unknown[] = [];
    const lease = await rooms.acquire(room);
    lease.room.doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    await rooms.withRoom(room, (doc, origin) => doc.transact(() => doc.getMap('m').set('x', 1), origin), {
      actor: 'stems',
    });
    expect(origins).toEqual([{ kind: 'server', actor: 'stems' }]);
    // What a crash now would leave: the data dir's files as they are, copied to a dir of their
    // own and opened by a second store there (a second store on the live dir would replay and
    // write the write-ahead log the first one holds).
    const crashDir = await mkdtemp(join(tmpdir(), 'mixroom-registry-crash-'));
    const after = new LocalRoomStore(crashDir, logger);
    try {
      await cp(dataDir, crashDir, { recursive: true });
      await after.start();
      const opened = await after.open(room);
      await opened.storage.close();
      const copy = new Y.Doc();
      for (const u of opened.updates) Y.applyUpdate(copy, u);
      expect(copy.getMap('m').get('x')).toBe(1);
    } finally {
      lease.release();
      await rooms.close();
      await after.stop();
      await rm(crashDir, { recursive: true, force: true });
    }
  });

  it('rejects withRoom when aborted before it runs', async () => {
    const store = localStore();
    const rooms = new RoomRegistry({ store, initRoom: () => undefined, logger, idleUnloadMs: 0, compactLogBytes: 1 << 20 });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    let ran = false;
    await expect(
      rooms.withRoom('abort' as RoomId, () => (ran = true), { signal: controller.signal }),
    ).rejects.toThrow('stop');
    expect(ran).toBe(false);
    await rooms.close();
  });
});

describe('RoomRegistry initRoom', () => {
  it('initialises a new room once, and a throwing initRoom leaves no trace and no open file', async () => {
    const store = new ObservedStore(localStore());
    let calls = 0;
    let broken = true;
    const rooms = new RoomRegistry({
      store,
      logger,
      idleUnloadMs: 0,
      compactLogBytes: 1 << 20,
      initRoom: (doc) => {
        calls += 1;
        doc.getMap('mix').set('title', 'New mix');
        if (broken) throw new Error('model bug');
      },
    });
    const room = 'init' as RoomId;
    await expect(rooms.acquire(room)).rejects.toThrow('model bug');
    expect(store.open_).toBe(0);
    broken = false;
    const lease = await rooms.acquire(room);
    expect(lease.room.doc.getMap('mix').toJSON()).toEqual({ title: 'New mix' });
    lease.release();
    await rooms.close();
    // Reloaded: stored, not initialised again.
    const again = new RoomRegistry({ store, logger, idleUnloadMs: 0, compactLogBytes: 1 << 20, initRoom: () => void calls++ });
    const second = await again.acquire(room);
    expect(second.room.doc.getMap('mix').toJSON()).toEqual({ title: 'New mix' });
    second.release();
    await again.close();
    expect(calls).toBe(2);
  });
});

describe('RoomRegistry storage failure', () => {
  it('forgets a room whose very first write fails, without leaking its files', async () => {
    let failing = true;
    const inner = localStore();
    const store = new ObservedStore({
      start: () => inner.start(),
      open: async (roomId) => {
        const opened = await inner.open(roomId);
        const append = opened.storage.append.bind(opened.storage);
        opened.storage.append = (u) => (failing ? Promise.reject(new Error('EIO (injected)')) : append(u));
        return opened;
      },
    });
    const rooms = new RoomRegistry({
      store,
      logger,
      idleUnloadMs: 60_000,
      compactLogBytes: 1 << 20,
      initRoom: (doc) => doc.getMap('mix').set('title', 'Fresh'),
    });
    const room = 'first-write-fails' as RoomId;
    const lease = await rooms.acquire(room);
    await expect(lease.room.whenDurable()).rejects.toThrow(/storage failed/);
    lease.release();
    await rooms.whenUnloaded(room);
    expect(rooms.isLoaded(room)).toBe(false);
    expect(store.open_).toBe(0);

    failing = false;
    const again = await rooms.acquire(room);
    await again.room.whenDurable();
    expect(again.room.doc.getMap('mix').get('title')).toBe('Fresh');
    again.release();
    await rooms.close();
    expect(store.maxOpen).toBe(1);
  });
});
