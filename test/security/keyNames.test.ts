/**
 * Overlong key names, on the real product (startMixroom on port 0, sessions from real invites, a
 * real y-websocket observer beside raw sockets). A deleted map entry keeps its key in the Yjs
 * tombstone for good, so repair cannot take a 100 KB name back out of the document: the sync
 * layer refuses an update naming a map key or a top-level type over MAX_KEY_NAME_CHARS with
 * 4422, before any of it is applied, relayed or stored. A name at the limit is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_CODES, type RoomId } from '@mixroom/shared/protocol';
import { MAX_KEY_NAME_CHARS } from '../../server/src/sync/overlongKeyName.ts';
import { connectWithCookie, whenSocketSynced, type SocketClient } from '../integration/reviewHarness.ts';
import { openRawSocket, startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

let fx: SecurityFixture;
let observer: SocketClient;
const cleanup: Array<() => void> = [];

beforeAll(async () => {
  fx = await startSecurityFixture();
  observer = connectWithCookie(fx.product.url, fx.roomId, fx.owner.cookie);
  cleanup.push(() => observer.destroy());
  await whenSocketSynced(observer);
});
afterAll(async () => {
  for (const dispose of cleanup.splice(0)) dispose();
  await fx?.close();
});

const serverDoc = <T>(read: (doc: Y.Doc) => T): Promise<T> => fx.product.server.services.rooms.withRoom(fx.roomId as RoomId, read);
const storedBytes = () => serverDoc((doc) => Y.encodeStateAsUpdate(doc).byteLength);
/** Every name the document holds: top-level types and the keys of their maps, nested maps included. */
function namesIn(doc: Y.Doc): string[] {
  const names: string[] = [];
  const walk = (type: Y.AbstractType<any>) => {
    for (const [key, item] of type._map) {
      names.push(key);
      const content = item.content as { type?: Y.AbstractType<any> };
      if (content.type) walk(content.type);
    }
  };
  for (const [name, type] of doc.share) {
    names.push(name);
    walk(type);
  }
  return names;
}
/** An update from a fresh peer: `change` on an empty doc. */
function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  change(doc);
  return Y.encodeStateAsUpdate(doc);
}

describe('key names', () => {
  const long = MAX_KEY_NAME_CHARS + 1;
  const attacks: Array<[string, Uint8Array]> = [
    ['a 100 KB key in the mix root', updateOf((d) => d.getMap('mix').set('k'.repeat(100_000), 1))],
    ['a key one over the limit', updateOf((d) => d.getMap('probe').set('k'.repeat(long), 1))],
    ['a top-level type named over the limit', updateOf((d) => d.getMap('t'.repeat(1000)).set('a', 1))],
    [
      'a nested map key over the limit (its parent is an id, not a name)',
      updateOf((d) => {
        const nested = new Y.Map<number>();
        d.getMap('probe').set('n', nested);
        nested.set('z'.repeat(long), 1);
      }),
    ],
  ];

  it.each(attacks)('refuses %s with 4422: nothing applied, relayed or stored', async (_, update) => {
    const before = await storedBytes();
    const relayed: Uint8Array[] = [];
    const onUpdate = (u: Uint8Array) => relayed.push(u);
    observer.doc.on('update', onUpdate);
    cleanup.push(() => observer.doc.off('update', onUpdate));
    const raw = await openRawSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie }, cleanup);
    raw.sendUpdate(update);
    // A server that took the update would answer the round trip behind it: fail at once then.
    const outcome = await Promise.race([raw.closed, raw.roundTrip().then(() => 'still open')]);
    expect(outcome).toBe(CLOSE_CODES.updateRejected);
    // The observer is still connected and synced: a round trip of its own shows nothing came.
    const probe = await openRawSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie }, cleanup);
    await probe.roundTrip();
    expect(relayed).toEqual([]);
    expect(await serverDoc((doc) => namesIn(doc).filter((n) => n.length > MAX_KEY_NAME_CHARS))).toEqual([]);
    expect(namesIn(observer.doc).filter((n) => n.length > MAX_KEY_NAME_CHARS)).toEqual([]);
    expect(await storedBytes()).toBe(before);
  });

  it('accepts a key of exactly the limit, and the socket stays open', async () => {
    const key = 'k'.repeat(MAX_KEY_NAME_CHARS);
    const raw = await openRawSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie }, cleanup);
    raw.sendUpdate(updateOf((d) => d.getMap('probe').set(key, 1)));
    await raw.roundTrip();
    expect(raw.open).toBe(true);
    expect(await serverDoc((doc) => doc.getMap('probe').get(key))).toBe(1);
    await expect.poll(() => observer.doc.getMap('probe').get(key), { timeout: 15_000 }).toBe(1);
  });
});
