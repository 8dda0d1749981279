import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { waitFor } from '../integration/syncHarness.ts';
import { startTestCluster, type TestCluster } from './clusterHarness.ts';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 3 });
}, 180_000);
afterAll(async () => {
  await cluster?.close();
});

/** The map's content with keys sorted (Yjs map iteration order differs between replicas). */
const stateOf = (doc: Y.Doc) => JSON.stringify(Object.entries(doc.getMap('m').toJSON()).sort(([a], [b]) => (a < b ? -1 : 1)));

describe('cluster mode: three nodes on one Redis and S3', () => {
  it('clients spread over the nodes edit one room and converge; presence crosses nodes', async () => {
    const room = 'together';
    const people = cluster.nodes.flatMap((node, n) => [0, 1].map((i) => cluster.connect(node.url, room, { user: `u${n}${i}` })));
    await cluster.synced(people);
    // Everyone writes at once, with conflicting keys too.
    for (let round = 0; round < 20; round++) {
      for (const [i, p] of people.entries()) {
        p.doc.getMap('m').set(`k${i}-${round}`, round);
        p.doc.getMap('m').set('contended', `${i}-${round}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor('all converged', () => {
      const first = stateOf(people[0]!.doc);
      return people.every((p) => p.doc.getMap('m').size === 121 && stateOf(p.doc) === first);
    });

    // Presence set on node 0 reaches node 2, stamped by node 0 with the server's identity.
    const alice = people[0]!;
    const far = people[5]!;
    alice.provider.awareness.setLocalStateField('touching', 'fader:kick');
    await waitFor('presence crossed nodes', () => far.provider.awareness.getStates().get(alice.doc.clientID)?.touching === 'fader:kick');
    const seen = far.provider.awareness.getStates().get(alice.doc.clientID) as { user?: { id?: string } };
    expect(seen.user?.id).toBe('u00');
    // A late joiner on node 1 gets everyone's presence at once. (A y-websocket client's first
    // state has clock 0, which y-protocols never applies: presence starts with the first field.)
    for (const p of people) p.provider.awareness.setLocalStateField('playhead', 1);
    const late = cluster.connect(cluster.nodes[1]!.url, room, { user: 'late' });
    await cluster.synced([late]);
    await waitFor('late joiner sees all presence', () => people.every((p) => late.provider.awareness.getStates().has(p.doc.clientID)));
    // Leaving on node 0 removes the presence on node 2.
    alice.destroy();
    await waitFor('presence removed across nodes', () => !far.provider.awareness.getStates().has(alice.doc.clientID));
  }, 120_000);
});
