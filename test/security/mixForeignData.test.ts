/**
 * Data the mix document does not define, written by clients around shared/ops, replayed on the
 * real product (startMixroom on port 0, sessions from real invites, real y-websocket peers and a
 * raw socket): unknown keys in the mix root and the session, the root itself used as an array,
 * and automation points carrying a thousand extra fields. The server deletes them (repairCaps,
 * repairAutomation); the writer and an observer converge on the repaired document, a mix built
 * with every op loses nothing, and the stored document keeps only the deletions' bookkeeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMixRoot, getSessionMap, getTrackMap, MIX_KEYS, readMixState } from '@mixroom/shared/model';
import {
  addAutomationPoint,
  addBus,
  addSend,
  addTrack,
  moveTrack,
  setBusEffectType,
  setGateKey,
  setMasterParam,
  setOutput,
  setSessionTempo,
  setSessionTitle,
  setSidechain,
  setStripColor,
  setTrackParam,
} from '@mixroom/shared/ops';
import { createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { connectWithCookie, whenSocketSynced, type HttpUser, type SocketClient } from '../integration/reviewHarness.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { openRawWriter, startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

let fx: SecurityFixture;
let engineer: HttpUser;
/** The owner's real client, which builds the mix with shared/ops. */
let observer: SocketClient;
const cleanup: Array<() => void> = [];
const owner = createOrigin('local-user', 'owner');

beforeAll(async () => {
  fx = await startSecurityFixture();
  engineer = await fx.member('engineer', 'Eve');
  observer = connectWithCookie(fx.product.url, fx.roomId, fx.owner.cookie);
  cleanup.push(() => observer.destroy());
  await whenSocketSynced(observer);
});
afterAll(async () => {
  for (const dispose of cleanup.splice(0)) dispose();
  await fx?.close();
});

const serverDoc = <T>(read: (doc: Y.Doc) => T): Promise<T> => fx.product.server.services.rooms.withRoom(fx.roomId as RoomId, read);
/** Waits until the server's copy satisfies `predicate`. */
async function untilServer(what: string, predicate: (doc: Y.Doc) => boolean, timeoutMs = 15_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await serverDoc(predicate)); ) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const storedBytes = () => serverDoc((doc) => Y.encodeStateAsUpdate(doc).byteLength);

/** Live items of a top-level type, map entries and sequence alike (a peer that never typed it holds a plain AbstractType). */
function liveItems(type: Pick<Y.AbstractType<unknown>, '_map' | '_start'> | undefined): number {
  if (!type) return 0;
  let n = [...type._map.values()].filter((item) => !item.deleted).length;
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) n += 1;
  return n;
}

/** What a client could add that no part of the mix defines, raw, on one peer's copy. */
function foreignView(doc: Y.Doc) {
  return {
    rootKeys: [...getMixRoot(doc).keys()].sort(),
    sessionKeys: [...(getSessionMap(doc)?.keys() ?? [])].sort(),
    rootSequence: liveItems(doc.share.get('mix')) - getMixRoot(doc).size,
    extraPointFields: [...(getTrackMap(doc, 'vox')?.get('automation') as Y.Map<Record<string, unknown>>).values()].reduce((n, p) => n + Object.keys(p).length - 4, 0),
  };
}

const clean = {
  rootKeys: Object.keys(MIX_KEYS).sort(),
  sessionKeys: Object.keys(MIX_KEYS.session!).sort(),
  rootSequence: 0,
  extraPointFields: 0,
};

describe('data the mix does not define, from clients writing around shared/ops', () => {
  it('unknown root and session keys, the root as an array and extra point fields are deleted on every peer; a mix using every op loses nothing', async () => {
    // The owner builds a mix with every op that writes the document, through the server.
    const doc = observer.doc;
    const before0 = readMixState(doc);
    const rev = before0.buses.find((b) => b.kind === 'aux')!.id;
    addTrack(doc, { name: 'Vox', stem: null, id: 'vox' }, owner);
    addTrack(doc, { name: 'Kick', stem: null, id: 'kick' }, owner);
    addBus(doc, { kind: 'group', name: 'Drums', id: 'drums' }, owner);
    setOutput(doc, { id: 'kick', output: 'drums' }, owner);
    addSend(doc, { fromId: 'vox', busId: rev }, owner);
    addSend(doc, { fromId: 'drums', busId: rev }, owner);
    setBusEffectType(doc, { busId: rev, type: 'delay' }, owner);
    setSidechain(doc, { trackId: 'vox', source: 'kick' }, owner);
    setGateKey(doc, { trackId: 'vox', source: 'kick' }, owner);
    setTrackParam(doc, { trackId: 'vox', param: 'eq.bands.2.gain', value: 3 } as never, owner);
    setStripColor(doc, { id: 'vox', color: '#ff8800' }, owner);
    moveTrack(doc, { trackId: 'vox', toIndex: 1 }, owner);
    setMasterParam(doc, { param: 'gain', value: -1 }, owner);
    setSessionTitle(doc, { title: 'Every op' }, owner);
    setSessionTempo(doc, { tempo: 96 }, owner);
    const points = [1, 2, 3].map((time) => addAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'gain' }, time, value: -time }, owner));
    addAutomationPoint(doc, { address: { kind: 'send', fromId: 'vox', busId: rev, param: 'level' }, time: 2, value: -6 }, owner);
    addAutomationPoint(doc, { address: { kind: 'master', param: 'gain' }, time: 3, value: -2 }, owner);
    await untilServer('the owner\'s mix reaches the server', (d) => JSON.stringify(getMixRoot(d).toJSON()) === JSON.stringify(getMixRoot(doc).toJSON()));
    const mix = getMixRoot(doc).toJSON();
    const state = readMixState(doc);
    expect(state.tracks.find((t) => t.id === 'vox')!.automation.gain!.points.length).toBe(3);
    const sizeBefore = await storedBytes();

    // A real y-websocket client writes around shared/ops: 100 KB of root keys, 100 KB of
    // session keys, 1,000 extra fields on three points.
    const client = connectWithCookie(fx.product.url, fx.roomId, engineer.cookie);
    cleanup.push(() => client.destroy());
    await whenSocketSynced(client);
    const pad = 'x'.repeat(1000);
    client.doc.transact(() => {
      for (let i = 0; i < 100; i++) getMixRoot(client.doc).set(`junk${i}`, pad);
      for (let i = 0; i < 100; i++) getSessionMap(client.doc)!.set(`junk${i}`, pad);
      const lane = getTrackMap(client.doc, 'vox')!.get('automation') as Y.Map<Record<string, unknown>>;
      for (const id of points) {
        const extra = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, i]));
        lane.set(id, { ...lane.get(id)!, ...extra });
      }
    }, createOrigin('local-user', 'engineer'));
    // A raw socket defines the mix root itself as an array and fills it.
    const raw = await openRawWriter(fx, engineer);
    cleanup.push(() => raw.close());
    await raw.write((d) => d.getArray('mix').push(Array.from({ length: 50 }, () => pad)));

    await waitFor('the writer and the observer repaired', () => [client.doc, observer.doc].every((d) => JSON.stringify(foreignView(d)) === JSON.stringify(clean)), 30_000);
    expect(await serverDoc(foreignView)).toEqual(clean);
    // Nothing the ops wrote is lost: the root reads as before, raw and sanitized, on every peer.
    for (const d of [client.doc, observer.doc]) {
      expect(getMixRoot(d).toJSON()).toEqual(mix);
      expect(readMixState(d)).toEqual(state);
    }
    expect(await serverDoc((d) => getMixRoot(d).toJSON())).toEqual(mix);
    // Of the ~320 KB written, the stored document keeps only tombstones (ids and key names).
    const grown = (await storedBytes()) - sizeBefore;
    console.log(`stored document grew by ${grown} B after ~320 KB of foreign data was written and repaired`);
    expect(grown).toBeLessThan(6 * 1024);
    expect(client.provider.wsconnected).toBe(true);
    expect(raw.open).toBe(true);
  });
});
