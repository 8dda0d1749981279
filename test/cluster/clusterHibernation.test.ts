import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../integration/syncHarness.ts';
import { startTestCluster, type ClusterNode, type TestCluster } from './clusterHarness.ts';

/**
 * Hibernation in cluster mode (see `Room`): a room quiet on every node drops its doc on each;
 * a joiner is served from the kept state, and an edit on one node wakes the room on the other
 * when it arrives from the room's stream, so it still reaches that node's sockets.
 */
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2, env: { ROOM_HIBERNATE_MS: '200', LOG_LEVEL: 'debug' } });
}, 180_000);
afterAll(async () => {
  await cluster?.close();
});

const count = (node: ClusterNode, msg: string, room: string) => node.lines.filter((l) => l.includes(`"msg":"${msg}"`) && l.includes(`"roomId":"${room}"`)).length;
const hibernating = (node: ClusterNode, room: string) => count(node, 'room hibernated', room) > count(node, 'room woke', room);

describe('cluster mode: quiet rooms hibernate on every node', () => {
  it('serves a joiner from the kept state, and an edit on one node wakes the room on the other', async () => {
    const room = 'quiet-cluster';
    const [n0, n1] = cluster.nodes as [ClusterNode, ClusterNode];
    const a = cluster.connect(n0.url, room, { user: 'a' });
    const b = cluster.connect(n1.url, room, { user: 'b' });
    await cluster.synced([a, b]);
    a.doc.getMap('m').set('from-a', 1);
    await waitFor('relayed across nodes', () => b.doc.getMap('m').get('from-a') === 1);
    await waitFor('quiet on both nodes', () => hibernating(n0, room) && hibernating(n1, room), 15_000);

    const late = cluster.connect(n0.url, room, { user: 'late' });
    await cluster.synced([late]);
    expect(late.doc.getMap('m').get('from-a')).toBe(1);
    expect(hibernating(n0, room)).toBe(true);

    const wokeOn0 = count(n0, 'room woke', room);
    b.doc.getMap('m').set('from-b', 2);
    await waitFor('edit on node 1 reached node 0 sockets', () => a.doc.getMap('m').get('from-b') === 2 && late.doc.getMap('m').get('from-b') === 2);
    expect(count(n0, 'room woke', room)).toBeGreaterThan(wokeOn0);
  }, 120_000);
});
