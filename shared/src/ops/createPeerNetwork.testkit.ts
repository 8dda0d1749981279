import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { createOrigin, type TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import { observeRepair } from './observeRepair.ts';

/** Origin of updates applied from the simulated network. */
const NETWORK = createOrigin('remote', 'network');

export interface SimPeer {
  readonly index: number;
  readonly doc: Y.Doc;
  readonly user: TransactionOrigin;
  online: boolean;
}

export interface PeerNetwork {
  readonly peers: readonly SimPeer[];
  readonly gen: prng.PRNG;
  /** Messages in flight. */
  pending(): number;
  /** Delivers one random in-flight message (out of order on purpose). False if none. */
  deliverOne(): boolean;
  /** Takes a peer offline: what it sends or is sent meanwhile is lost, as on a dropped socket. */
  disconnect(peer: SimPeer): void;
  /** Brings it back with a state-vector sync exchange with every online peer (y-protocols sync step 1/2). */
  reconnect(peer: SimPeer): void;
  /** Reconnects everyone and delivers until no message is left (repairs included). */
  settle(maxMessages?: number): void;
  /** Repair transactions written so far, over all peers. */
  repairs(): number;
  destroy(): void;
}

/**
 * An in-memory network of Yjs peers for convergence tests, in the spirit of Yjs's own test
 * connector: every local update is queued to every online peer, messages are delivered in
 * seeded-random order, partitions drop traffic and reconnects resync by state vector. Each
 * peer runs observeRepair, as the client and server do.
 */
export function createPeerNetwork(count: number, seed: number, init: (doc: Y.Doc) => void): PeerNetwork {
  const gen = prng.create(seed);
  const queue: { from: SimPeer; to: SimPeer; update: Uint8Array }[] = [];
  let repairCount = 0;
  const peers: SimPeer[] = [];
  const seedDoc = new Y.Doc();
  init(seedDoc);
  const initial = Y.encodeStateAsUpdate(seedDoc);
  seedDoc.destroy();

  for (let i = 0; i < count; i++) {
    const doc = new Y.Doc();
    // Fixed client ids make a seed replay exactly (Yjs breaks ties by client id).
    doc.clientID = 1000 + i;
    Y.applyUpdate(doc, initial, NETWORK);
    const peer: SimPeer = { index: i, doc, user: createOrigin('local-user', `user${i}`), online: true };
    const repairOrigin = createOrigin('repair', `peer${i}`);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === NETWORK || !peer.online) return;
      for (const to of peers) if (to !== peer && to.online) queue.push({ from: peer, to, update });
    });
    // The same wiring clients and the server use: repair after remote routing changes.
    observeRepair(doc, repairOrigin);
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === repairOrigin) repairCount++;
    });
    peers.push(peer);
  }

  const deliver = (index: number) => {
    const [msg] = queue.splice(index, 1);
    if (!msg || !msg.from.online || !msg.to.online) return;
    Y.applyUpdate(msg.to.doc, msg.update, NETWORK);
  };

  const syncPair = (a: SimPeer, b: SimPeer) => {
    queue.push({ from: a, to: b, update: Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)) });
    queue.push({ from: b, to: a, update: Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)) });
  };

  return {
    peers,
    gen,
    pending: () => queue.length,
    deliverOne() {
      if (queue.length === 0) return false;
      deliver(prng.uint32(gen, 0, queue.length - 1));
      return true;
    },
    disconnect(peer) {
      peer.online = false;
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.from === peer || queue[i]!.to === peer) queue.splice(i, 1);
    },
    reconnect(peer) {
      if (peer.online) return;
      peer.online = true;
      for (const other of peers) if (other !== peer && other.online) syncPair(peer, other);
    },
    settle(maxMessages = 100_000) {
      for (const peer of peers) this.reconnect(peer);
      // A full exchange too, so nothing lost in a partition is left behind.
      for (const a of peers) for (const b of peers) if (a.index < b.index) syncPair(a, b);
      let delivered = 0;
      while (this.deliverOne()) {
        if (++delivered > maxMessages) throw new Error('network did not settle: peers keep writing');
      }
    },
    repairs: () => repairCount,
    destroy() {
      for (const peer of peers) peer.doc.destroy();
    },
  };
}
