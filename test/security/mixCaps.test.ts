/**
 * The mix document's caps (MIX_CAPS: strip counts, name and title lengths, sends) against hand-
 * made Yjs updates that bypass shared/ops, replayed on the real product (startMixroom on port 0,
 * sessions from real invites, a raw socket and real y-websocket peers). The server cuts what
 * passes a cap (repairCaps) and every peer converges on the cut document; the writer's socket
 * stays open and its edits within the caps are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  busToDocShape,
  defaultBus,
  defaultTrack,
  getBusesMap,
  getMasterMap,
  getNestedMap,
  getSessionMap,
  getTrackMap,
  getTracksMap,
  MIX_CAPS,
  readMixState,
  syncYMap,
  trackToDocShape,
  validateMixState,
} from '@mixroom/shared/model';
import { addBus, addTrack, isMixOpError } from '@mixroom/shared/ops';
import { createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { connectWithCookie, whenSocketSynced, type HttpUser, type SocketClient } from '../integration/reviewHarness.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { floatWav, sine } from '../renderFixtures.ts';
import { openRawWriter, startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

let fx: SecurityFixture;
let engineer: HttpUser;
/** The owner's real client: what every peer ends up with. */
let observer: SocketClient;
const cleanup: Array<() => void> = [];

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

async function writer() {
  const w = await openRawWriter(fx, engineer);
  cleanup.push(() => w.close());
  return w;
}

const serverDoc = <T>(read: (doc: Y.Doc) => T): Promise<T> => fx.product.server.services.rooms.withRoom(fx.roomId as RoomId, read);

/** What the cap-relevant parts of a document hold, raw (not as sanitized reads show them). */
function capView(doc: Y.Doc) {
  const strips = [...(getTracksMap(doc)?.entries() ?? []), ...(getBusesMap(doc)?.entries() ?? [])];
  return {
    title: getSessionMap(doc)?.get('title'),
    trackKeys: [...(getTracksMap(doc)?.keys() ?? [])].sort(),
    busKeys: [...(getBusesMap(doc)?.keys() ?? [])].sort(),
    longestName: Math.max(0, ...strips.map(([, s]) => (s instanceof Y.Map && typeof s.get('name') === 'string' ? (s.get('name') as string).length : 0))),
    nonStringNames: strips.filter(([, s]) => s instanceof Y.Map && s.has('name') && typeof s.get('name') !== 'string').length,
    mostSends: Math.max(0, ...strips.map(([, s]) => (s instanceof Y.Map && s.get('sends') instanceof Y.Map ? (s.get('sends') as Y.Map<unknown>).size : 0))),
  };
}

/** The server's copy and the observer's agree (compared raw) once the observer caught up. */
async function converged(): Promise<ReturnType<typeof capView>> {
  const server = await serverDoc(capView);
  await waitFor('the observer converges on the server', () => JSON.stringify(capView(observer.doc)) === JSON.stringify(server));
  return server;
}

function rawTrack(doc: Y.Doc, id: string, order: number): void {
  const map = new Y.Map<unknown>();
  getTracksMap(doc)!.set(id, map);
  syncYMap(map, trackToDocShape(defaultTrack(id, `raw ${id}`, null, order)));
}

describe('mix caps on raw client updates', () => {
  it('cuts names and the title to their length, and deletes names that are not text', async () => {
    const raw = await writer();
    const trackId = 'capped-name';
    await raw.write((doc) => rawTrack(doc, trackId, 1000));
    await raw.write((doc) => {
      getTrackMap(doc, trackId)!.set('name', 'n'.repeat(100_000));
      getSessionMap(doc)!.set('title', 't'.repeat(50_000));
    });
    const view = await converged();
    expect(view.longestName).toBe(MIX_CAPS.nameLength);
    expect(view.title).toBe('t'.repeat(MIX_CAPS.titleLength));
    // A nested type where a name goes: deleted, the strip reads its default name.
    await raw.write((doc) => getTrackMap(doc, trackId)!.set('name', new Y.Text('x'.repeat(10_000))));
    expect((await converged()).nonStringNames).toBe(0);
    expect(readMixState(observer.doc).tracks.find((t) => t.id === trackId)?.name).toBe('Track');
    expect(raw.open).toBe(true);
  });

  it(`keeps at most ${MIX_CAPS.tracks} tracks and ${MIX_CAPS.buses} buses (the last by order go), drops junk entries and sends to no bus`, async () => {
    const raw = await writer();
    const before = readMixState(observer.doc);
    await raw.write((doc) => {
      for (let i = 0; i < MIX_CAPS.tracks + 100; i++) rawTrack(doc, `t${String(i).padStart(4, '0')}`, 2000 + i);
      const tracks = getTracksMap(doc)!;
      tracks.set('not an id!', new Y.Map());
      tracks.set('leaf', 'x'.repeat(1000));
      const buses = getBusesMap(doc)!;
      for (let i = 0; i < MIX_CAPS.buses + 30; i++) {
        const map = new Y.Map<unknown>();
        buses.set(`b${String(i).padStart(3, '0')}`, map);
        syncYMap(map, busToDocShape({ ...defaultBus(`b${String(i).padStart(3, '0')}`, `bus ${i}`, 'aux', 500 + i) }));
      }
    });
    // Sends from one track to every bus (kept ones and dropped ones) and to 500 ids of nothing.
    await raw.write((doc) => {
      const sends = new Y.Map<unknown>();
      getTrackMap(doc, 't0000')!.set('sends', sends);
      for (const id of getBusesMap(doc)!.keys()) sends.set(id, new Y.Map(Object.entries({ level: 0, pre: false })));
      for (let i = 0; i < 500; i++) sends.set(`ghost${i}`, new Y.Map(Object.entries({ level: 0, pre: false })));
    });
    const view = await converged();
    expect(view.trackKeys.length).toBe(MIX_CAPS.tracks);
    expect(view.busKeys.length).toBe(MIX_CAPS.buses);
    expect(view.mostSends).toBeLessThanOrEqual(MIX_CAPS.buses);
    const state = readMixState(observer.doc);
    expect(validateMixState(state)).toMatchObject({ ok: true });
    // What was there before stays; the raw strips that sort last are the ones cut.
    for (const t of before.tracks) expect(view.trackKeys).toContain(t.id);
    for (const b of before.buses) expect(view.busKeys).toContain(b.id);
    expect(view.trackKeys).not.toContain(`t${String(MIX_CAPS.tracks + 99).padStart(4, '0')}`);
    expect(view.trackKeys).toContain('t0000');
    expect(state.tracks.find((t) => t.id === 't0000')!.sends.every((s) => view.busKeys.includes(s.bus))).toBe(true);
    expect(raw.open).toBe(true);

    // shared/ops refuse at the cap with a clear error, so the app never sends such an update.
    const full = (fn: () => unknown) => {
      try {
        fn();
        return null;
      } catch (error) {
        return isMixOpError(error) ? error.code : String(error);
      }
    };
    const origin = createOrigin('local-user', 'owner');
    expect(full(() => addTrack(observer.doc, { name: 'One more', stem: null }, origin))).toBe('too-many-strips');
    expect(full(() => addBus(observer.doc, { name: 'One more', kind: 'group' }, origin))).toBe('too-many-strips');
    // A stem uploaded into the full mix: a clear 409, and no track appears.
    const wav = floatWav([sine(4800, 440, 0.5, 48_000)], 48_000);
    const init = await fx.owner.json<{ uploadId: string; partSize: number; parts: Array<{ partNumber: number; url: string }> }>('POST', fx.api('/stems/uploads'), { fileName: 'late.wav', size: wav.length });
    expect(init.status).toBe(201);
    const parts = [];
    for (const p of init.body.parts) {
      const r = await fetch(new URL(p.url, fx.product.url), { method: 'PUT', body: wav.slice((p.partNumber - 1) * init.body.partSize, p.partNumber * init.body.partSize) });
      parts.push({ partNumber: p.partNumber, etag: r.headers.get('etag')! });
    }
    const done = await fx.owner.json<{ error: { code: string; message: string } }>('POST', fx.api(`/stems/uploads/${init.body.uploadId}/complete`), { parts });
    expect(done.status).toBe(409);
    expect(done.body.error.message).toMatch(/at most 256 tracks/);
    expect((await serverDoc(capView)).trackKeys.length).toBe(MIX_CAPS.tracks);
  });

  it('deletes keys no strip has and overlong values, written by a real y-websocket client around shared/ops: every peer reads the same mix', async () => {
    const client = connectWithCookie(fx.product.url, fx.roomId, engineer.cookie);
    cleanup.push(() => client.destroy());
    await whenSocketSynced(client);
    const before = readMixState(observer.doc);
    const track = before.tracks[0]!.id;
    const bus = before.buses.find((b) => b.kind === 'aux')!.id;
    const sizeBefore = await serverDoc((doc) => Y.encodeStateAsUpdate(doc).byteLength);
    // 200 KB of keys on the master, a track (top level, an EQ band) and an aux bus's effect.
    client.doc.transact(() => {
      const pad = 'x'.repeat(1000);
      for (let i = 0; i < 150; i++) getMasterMap(client.doc)!.set(`junk${i}`, pad);
      for (let i = 0; i < 30; i++) getTrackMap(client.doc, track)!.set(`junk${i}`, pad);
      for (let i = 0; i < 10; i++) getNestedMap(getTrackMap(client.doc, track), ['eq', 'bands', '1'])!.set(`junk${i}`, pad);
      for (let i = 0; i < 10; i++) getNestedMap(getBusesMap(client.doc)!.get(bus) as Y.Map<unknown>, ['effect'])!.set(`junk${i}`, pad);
      // A known key with a value no strip holds: 100 KB where a colour goes.
      getTrackMap(client.doc, track)!.set('color', 'c'.repeat(100_000));
    }, createOrigin('local-user', 'engineer'));
    const junkKeys = (doc: Y.Doc) =>
      [getMasterMap(doc), getTrackMap(doc, track), getNestedMap(getTrackMap(doc, track), ['eq', 'bands', '1']), getNestedMap(getBusesMap(doc)!.get(bus) as Y.Map<unknown>, ['effect'])]
        .flatMap((map) => [...(map?.keys() ?? [])])
        .filter((key) => key.startsWith('junk')).length;
    // The server repairs on the update; every peer, the writer included, gets the repair.
    await waitFor('junk keys gone on every peer', () => junkKeys(observer.doc) === 0 && junkKeys(client.doc) === 0);
    expect(await serverDoc(junkKeys)).toBe(0);
    await waitFor('the overlong colour gone on every peer', () => [observer.doc, client.doc].every((doc) => !getTrackMap(doc, track)?.has('color')));
    expect(readMixState(observer.doc)).toEqual(before);
    expect(readMixState(client.doc)).toEqual(before);
    // What stays of the 300 KB is the deletions' bookkeeping, not the values.
    expect((await serverDoc((doc) => Y.encodeStateAsUpdate(doc).byteLength)) - sizeBefore).toBeLessThan(8 * 1024);
    expect(client.provider.wsconnected).toBe(true);
  });
});
