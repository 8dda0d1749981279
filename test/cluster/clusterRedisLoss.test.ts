import { describe, expect, it } from 'vitest';
import { connectClient, waitFor, whenSynced, type TestClient } from '../integration/syncHarness.ts';
import { startTestCluster, type TestCluster } from './clusterHarness.ts';

/** Writes keys into `room` through `writer` until `observer` saw `count` of them; returns what it saw. */
async function writeUntilSeen(writer: TestClient, observer: TestClient, prefix: string, count: number): Promise<Set<string>> {
  const seen = new Set<string>();
  const observe = (event: { keysChanged: Set<string> }) => {
    for (const k of event.keysChanged) if (k.startsWith(prefix)) seen.add(k);
  };
  observer.doc.getMap('m').observe(observe);
  let i = 0;
  const timer = setInterval(() => {
    for (let j = 0; j < 3; j++) writer.doc.getMap('m').set(`${prefix}${i++}`, i);
  }, 2);
  await waitFor(`${prefix} seen`, () => seen.size >= count);
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 100));
  observer.doc.getMap('m').unobserve(observe);
  return seen;
}

async function restartAllNodes(cluster: TestCluster): Promise<void> {
  await Promise.all(cluster.nodes.map((n) => n.kill9()));
  const count = cluster.nodes.length;
  cluster.nodes.length = 0;
  for (let i = 0; i < count; i++) await cluster.startNode();
}

async function readRoom(cluster: TestCluster, room: string): Promise<Set<string>> {
  const reader = connectClient(cluster.nodes[cluster.nodes.length - 1]!.url, room, { user: 'reader' });
  await whenSynced(reader);
  const keys = new Set(reader.doc.getMap('m').keys());
  reader.destroy();
  return keys;
}

describe('Redis restarts under a cluster', () => {
  it('with appendfsync always, kill -9 of Redis loses no update any client saw relayed', async () => {
    const cluster = await startTestCluster({ nodes: 2 });
    try {
      const writer = connectClient(cluster.nodes[0]!.url, 'redis-crash', { user: 'w' });
      const near = connectClient(cluster.nodes[0]!.url, 'redis-crash', { user: 'n' });
      const far = connectClient(cluster.nodes[1]!.url, 'redis-crash', { user: 'f' });
      await Promise.all([writer, near, far].map(whenSynced));
      const seen = new Set<string>();
      for (const o of [near, far]) o.doc.getMap('m').observe((e) => e.keysChanged.forEach((k) => seen.add(k)));
      let i = 0;
      const timer = setInterval(() => {
        for (let j = 0; j < 3; j++) writer.doc.getMap('m').set(`k${i++}`, i);
      }, 2);
      await waitFor('writes relayed', () => seen.size > 300);
      await cluster.redis.crashAndRestart();
      // Nodes wait out the outage and carry on; a few more writes after the restart.
      const before = seen.size;
      await waitFor('writes flow again after the restart', () => seen.size > before + 100, 30_000);
      clearInterval(timer);
      await new Promise((r) => setTimeout(r, 100));
      // No node memory and no client may help: only Redis's AOF and S3.
      writer.destroy();
      near.destroy();
      far.destroy();
      await cluster.redis.crashAndRestart();
      await restartAllNodes(cluster);
      const stored = await readRoom(cluster, 'redis-crash');
      expect([...seen].filter((k) => !stored.has(k))).toEqual([]);
      console.info(`redis kill -9 (aof always): ${i} written, ${seen.size} seen relayed, ${stored.size} stored, 0 missing`);
    } finally {
      await cluster.close();
    }
  }, 180_000);

  it('without persistence: open rooms are written back, compacted rooms come from S3, the rest is the documented loss', async () => {
    const cluster = await startTestCluster({
      nodes: 2,
      redis: { aof: 'off' },
      // Compaction only when a room is left, so the test controls what reached S3.
      env: { SYNC_DURABILITY: 'none', SYNC_COMPACT_AFTER_MS: '3600000' },
    });
    try {
      // The default promise (relay only what is on Redis's disk) cannot hold here: a node refuses.
      await expect(cluster.startNode({ SYNC_DURABILITY: 'aof-always' })).rejects.toThrow(/appendonly=no.*appendfsync always/s);
      // A room that was left and compacted before the loss.
      const left = connectClient(cluster.nodes[0]!.url, 'left-room', { user: 'w' });
      const leftObserver = connectClient(cluster.nodes[1]!.url, 'left-room', { user: 'o' });
      await Promise.all([left, leftObserver].map(whenSynced));
      const leftSeen = await writeUntilSeen(left, leftObserver, 'l', 200);
      left.destroy();
      leftObserver.destroy();
      // ROOM_IDLE_UNLOAD_MS 500: both nodes unload it, which hurries its compaction.
      await waitFor('left room compacted', () => cluster.nodes.some((n) => n.lines.some((l) => l.includes('"room compacted"') && l.includes('left-room'))), 20_000);

      // A room open on both nodes while Redis loses everything.
      const writer = connectClient(cluster.nodes[0]!.url, 'open-room', { user: 'w' });
      const observer = connectClient(cluster.nodes[1]!.url, 'open-room', { user: 'o' });
      await Promise.all([writer, observer].map(whenSynced));
      const openSeen = await writeUntilSeen(writer, observer, 'o', 300);
      await cluster.redis.crashAndRestart();
      await waitFor('nodes wrote the open room back', () =>
        cluster.nodes.every((n) => n.lines.some((l) => l.includes('appending the room again') && l.includes('open-room'))),
      20_000);
      writer.destroy();
      observer.destroy();
      // Give the write-back its XADD, then forget every node's memory.
      await new Promise((r) => setTimeout(r, 500));
      await restartAllNodes(cluster);
      const openStored = await readRoom(cluster, 'open-room');
      expect([...openSeen].filter((k) => !openStored.has(k))).toEqual([]);
      const leftStored = await readRoom(cluster, 'left-room');
      expect([...leftSeen].filter((k) => !leftStored.has(k))).toEqual([]);
    } finally {
      await cluster.close();
    }
  }, 180_000);
});
