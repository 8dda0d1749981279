/**
 * A rolling upgrade seen from an older node (docs/cluster.md): its repair must not delete what a
 * newer schema's clients write. Replayed on the real product (startMixroom on port 0, real
 * y-websocket clients): a client writes the session's schemaVersion as CURRENT_SCHEMA_VERSION + 1
 * (what a newer node's migration writes), then a new strip key, a new section, a new root map, a
 * new session field and automation this version cannot read. They survive on the server, the
 * writer and an observer, while the caps still hold (an overlong known value is deleted, foreign
 * data is kept only up to MIX_CAPS.foreignBytes), and the node logs it once. Back at the current
 * version the same keys are deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CURRENT_SCHEMA_VERSION, getMixRoot, getSessionMap, getTrackMap, MIX_CAPS } from '@mixroom/shared/model';
import { addAutomationPoint, addTrack } from '@mixroom/shared/ops';
import { createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { connectWithCookie, whenSocketSynced, type SocketClient } from '../integration/reviewHarness.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

let fx: SecurityFixture;
let observer: SocketClient;
let writer: SocketClient;
const cleanup: Array<() => void> = [];
const owner = createOrigin('local-user', 'owner');
const engineer = createOrigin('local-user', 'engineer');
let pointId = '';

beforeAll(async () => {
  fx = await startSecurityFixture();
  observer = connectWithCookie(fx.product.url, fx.roomId, fx.owner.cookie);
  cleanup.push(() => observer.destroy());
  await whenSocketSynced(observer);
  addTrack(observer.doc, { name: 'Vox', stem: null, id: 'vox' }, owner);
  addTrack(observer.doc, { name: 'Pad', stem: null, id: 'zz' }, owner);
  pointId = addAutomationPoint(observer.doc, { address: { kind: 'track', trackId: 'vox', param: 'gain' }, time: 1, value: -3 }, owner);
  writer = connectWithCookie(fx.product.url, fx.roomId, (await fx.member('engineer', 'Eve')).cookie);
  cleanup.push(() => writer.destroy());
  await whenSocketSynced(writer);
  await waitFor('the writer has the owner\'s tracks', () => getTrackMap(writer.doc, 'zz') !== null);
});
afterAll(async () => {
  for (const dispose of cleanup.splice(0)) dispose();
  await fx?.close();
});

const serverDoc = <T>(read: (doc: Y.Doc) => T): Promise<T> => fx.product.server.services.rooms.withRoom(fx.roomId as RoomId, read);
const lane = (doc: Y.Doc) => getTrackMap(doc, 'vox')!.get('automation') as Y.Map<Record<string, unknown>>;

/** What a newer schema wrote, as one peer holds it (raw). */
function newerView(doc: Y.Doc) {
  const vox = getTrackMap(doc, 'vox');
  return {
    width: vox?.get('width'),
    spread: (vox?.get('spread') as Y.Map<unknown> | undefined)?.toJSON(),
    markers: (getMixRoot(doc).get('markers') as Y.Map<unknown> | undefined)?.toJSON(),
    key: getSessionMap(doc)?.get('key'),
    tension: lane(doc).get(pointId)?.tension,
    widthPoint: lane(doc).get('wpoint1')?.param,
    color: vox?.get('color'),
  };
}

const written = {
  width: 0.5,
  spread: { on: true, amount: 0.3 },
  markers: { m1: 'Chorus' },
  key: 'F# minor',
  tension: 0.2,
  widthPoint: 'width',
  color: undefined,
};

/** Everyone holds the same view, `expected`. */
async function allHold(what: string, expected: ReturnType<typeof newerView>): Promise<void> {
  const same = (doc: Y.Doc) => JSON.stringify(newerView(doc)) === JSON.stringify(expected);
  await waitFor(what, () => same(writer.doc) && same(observer.doc), 30_000);
  expect(await serverDoc(newerView)).toEqual(expected);
}

describe('an older node serving a newer schema\'s mix', () => {
  it('keeps keys a newer schema writes, still deletes overlong values, logs once; at the current version deletes them', async () => {
    writer.doc.transact(() => getSessionMap(writer.doc)!.set('schemaVersion', CURRENT_SCHEMA_VERSION + 1), engineer);
    writer.doc.transact(() => {
      const vox = getTrackMap(writer.doc, 'vox')!;
      vox.set('width', 0.5);
      vox.set('spread', new Y.Map(Object.entries({ on: true, amount: 0.3 })));
      getMixRoot(writer.doc).set('markers', new Y.Map(Object.entries({ m1: 'Chorus' })));
      getSessionMap(writer.doc)!.set('key', 'F# minor');
      lane(writer.doc).set(pointId, { ...lane(writer.doc).get(pointId)!, tension: 0.2 });
      lane(writer.doc).set('wpoint1', { param: 'width', time: 2, value: 0.8, curve: 'linear' });
      // A cap still holds: a known key past MIX_CAPS.valueLength goes. Its deletion also
      // shows the repair ran after the writes above.
      vox.set('color', 'c'.repeat(MIX_CAPS.valueLength + 1));
    }, engineer);
    await allHold('the newer keys kept and the overlong colour gone on every peer', written);
    const warnings = fx.product.lines.filter((line) => line.msg.startsWith('mix of a newer schema'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', fields: { roomId: fx.roomId, schemaVersion: CURRENT_SCHEMA_VERSION + 1, nodeSchemaVersion: CURRENT_SCHEMA_VERSION } });

    // The bound: 300 KB of foreign keys on the track that sorts last; what fits in
    // MIX_CAPS.foreignBytes stays (charged in key order), the rest goes.
    const before = await serverDoc((doc) => Y.encodeStateAsUpdate(doc).byteLength);
    writer.doc.transact(() => {
      for (let i = 0; i < 300; i++) getTrackMap(writer.doc, 'zz')!.set(`junk${String(i).padStart(3, '0')}`, 'x'.repeat(1000));
    }, engineer);
    const junkOn = (doc: Y.Doc) => [...getTrackMap(doc, 'zz')!.keys()].filter((key) => key.startsWith('junk')).sort();
    const serverJunk = async () => serverDoc(junkOn);
    await waitFor('the writer holds the cut', () => junkOn(writer.doc).length < 300, 30_000);
    const kept = await serverJunk();
    await waitFor('the observer agrees', () => JSON.stringify(junkOn(observer.doc)) === JSON.stringify(kept) && JSON.stringify(junkOn(writer.doc)) === JSON.stringify(kept));
    const grown = (await serverDoc((doc) => Y.encodeStateAsUpdate(doc).byteLength)) - before;
    console.log(`newer schema: ${kept.length} of 300 foreign 1 KB keys kept, stored document grew ${grown} B (budget ${MIX_CAPS.foreignBytes} B)`);
    expect(kept.length).toBeGreaterThan(200);
    expect(kept.length * 1000).toBeLessThanOrEqual(MIX_CAPS.foreignBytes);
    // The ones that sort first are kept.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => `junk${String(i).padStart(3, '0')}`));
    expect(grown).toBeLessThan(MIX_CAPS.foreignBytes + 16 * 1024);

    // Back at this node's version (the newer node rolled back), the same keys are deleted.
    writer.doc.transact(() => getSessionMap(writer.doc)!.set('schemaVersion', CURRENT_SCHEMA_VERSION), engineer);
    const gone = { width: undefined, spread: undefined, markers: undefined, key: undefined, tension: undefined, widthPoint: undefined, color: undefined };
    await allHold('the newer keys gone on every peer', gone);
    expect(await serverDoc(junkOn)).toEqual([]);
    // The point users see stays, without the field.
    expect(await serverDoc((doc) => lane(doc).get(pointId))).toEqual({ param: 'gain', time: 1, value: -3, curve: 'linear' });
    // Written again at the current version: deleted again.
    writer.doc.transact(() => getTrackMap(writer.doc, 'vox')!.set('width', 0.5), engineer);
    await waitFor('a new key at the current version deleted', () => !getTrackMap(writer.doc, 'vox')!.has('width') && !getTrackMap(observer.doc, 'vox')!.has('width'));
    expect(fx.product.lines.filter((line) => line.msg.startsWith('mix of a newer schema'))).toHaveLength(1);
    expect(writer.provider.wsconnected).toBe(true);
  });
});
