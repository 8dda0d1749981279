import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, waitFor, whenSynced, type TestClient } from '../integration/syncHarness.ts';
import { startTestCluster, type TestCluster } from './clusterHarness.ts';

/** 20 in CI; the soak (`pnpm --filter @mixroom/test soak:cluster`) runs 100. */
const CYCLES = Number(process.env.CLUSTER_CRASH_CYCLES ?? 20);
const ROOM = 'crash-cluster';
const ROOM_B = 'crash-cluster-moves';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 3 });
}, 180_000);
afterAll(async () => {
  await cluster?.close();
});

describe('kill -9 of a cluster node while its clients write', () => {
  it(`keeps every update any client saw relayed, over ${CYCLES} cycles`, async () => {
    const mustSurvive = new Set<string>();
    const resent = new Set<string>();
    let written = 0;
    // Observers stay on the two other nodes; each cycle a different node dies.
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const victim = cycle % 3;
      const others = [0, 1, 2].filter((n) => n !== victim);
      const url = (n: number) => cluster.nodes[n]!.url;
      // A: its tab closes with the crash, so only what the server relayed may count.
      // B: reconnects to another node with its unsent edits (what a load balancer does). It
      // edits another room: in A's room it would carry A's edits over too and hide a loss.
      const a = connectClient(url(victim), ROOM, { user: 'a' });
      const b = connectClient(url(victim), ROOM_B, { user: 'b' });
      const bWatcher = connectClient(url(others[1]!), ROOM_B, { user: 'w' });
      const observers = others.map((n) => connectClient(url(n), ROOM, { user: `o${n}` }));
      // On the dying node too: the node relays its own clients' edits to its own sockets (no
      // stream read in between), and only once they are in Redis.
      const local = connectClient(url(victim), ROOM, { user: 'local' });
      await cluster.synced([a, b, bWatcher, local, ...observers]);
      for (const key of mustSurvive) expect(observers[0]!.doc.getMap('m').has(key), key).toBe(true);

      const seen = new Set<string>();
      for (const o of [...observers, local]) {
        o.doc.getMap('m').observe((event) => {
          for (const key of event.keysChanged) seen.add(key);
        });
      }
      const bKeys: string[] = [];
      const timer = setInterval(() => {
        for (let i = 0; i < 3; i++) a.doc.getMap('m').set(`a${cycle}-${written++}`, 'x'.repeat(40));
        const key = `b${cycle}-${written++}`;
        b.doc.getMap('m').set(key, 'y');
        bKeys.push(key);
      }, 2);
      await waitFor('observers saw writes', () => seen.size > 150);
      await cluster.nodes[victim]!.kill9();
      clearInterval(timer);
      // Frames already in the observers' sockets were relayed before the kill: they count too.
      await new Promise((r) => setTimeout(r, 100));
      for (const key of seen) if (key.startsWith('a')) mustSurvive.add(key);

      a.destroy();
      local.destroy();
      b.provider.destroy();
      const moved = connectClient(url(others[0]!), ROOM_B, { user: 'b' }, { doc: b.doc });
      await whenSynced(moved);
      await waitFor('b’s edits made it through another node', () => bKeys.every((k) => bWatcher.doc.getMap('m').has(k)));
      bWatcher.destroy();
      for (const k of bKeys) resent.add(k);
      moved.destroy();
      for (const o of observers) o.destroy();
      // The dead node comes back as a fresh process (same name, same place in the list).
      const replacement = await cluster.startNode();
      cluster.nodes.splice(cluster.nodes.indexOf(replacement), 1);
      cluster.nodes[victim] = replacement;
    }

    // Settled: a reader on every node holds everything.
    const readers: TestClient[] = cluster.nodes.map((n, i) => connectClient(n.url, ROOM, { user: `r${i}` }));
    const readersB: TestClient[] = cluster.nodes.map((n, i) => connectClient(n.url, ROOM_B, { user: `r${i}` }));
    await Promise.all([...readers, ...readersB].map(whenSynced));
    for (const reader of readers) {
      const stored = reader.doc.getMap('m');
      expect([...mustSurvive].filter((k) => !stored.has(k))).toEqual([]);
      expect(stored.size).toBe(readers[0]!.doc.getMap('m').size);
    }
    for (const reader of readersB) expect([...resent].filter((k) => !reader.doc.getMap('m').has(k))).toEqual([]);
    expect(mustSurvive.size).toBeGreaterThan(CYCLES * 100);
    console.info(
      `cluster crash: ${CYCLES} kill -9 cycles, ${written} written, ${mustSurvive.size} seen relayed and ${resent.size} resent through ` +
        `another node, ${readers[0]!.doc.getMap('m').size} stored, 0 missing`,
    );
    for (const r of [...readers, ...readersB]) r.destroy();
    const errors = cluster.nodes.flatMap((n) => n.lines.filter((l) => l.includes('"level":"error"')));
    expect(errors).toEqual([]);
  }, Math.max(600_000, CYCLES * 30_000));
});
