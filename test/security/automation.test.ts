/**
 * Attacks on automation lanes over the sync socket, replayed against the real product
 * (startMixroom on port 0, sessions from real invites, real y-websocket peers): hand-made Yjs
 * updates that bypass shared/ops (a listener writing a point; an engineer writing 100k points,
 * points on parameters that may not move, NaN, Infinity, huge numbers, wrong types, ghost
 * points no op can delete). What the room stores and serves must stay a valid mix within the
 * lane limit, the room keeps syncing, and a version bake of it plays the sanitized lanes only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  AUTOMATION_KEY,
  getBusMap,
  getMasterMap,
  getTrackMap,
  MAX_AUTOMATION_SECONDS,
  MAX_POINTS_PER_LANE,
  readMixState,
  laneRangeOf,
  validateMixState,
  type AutomationLanes,
  type MixState,
} from '@mixroom/shared/model';
import { addAutomationPoint, clearAutomationLane, MixOpError, renameTrack, setTrackParam } from '@mixroom/shared/ops';
import { buildMixPlan } from '@mixroom/shared/plan';
import { createOrigin, MESSAGE_TYPES, type RoomId } from '@mixroom/shared/protocol';
import type { BakeRecord } from '@mixroom/shared/review';
import { decodeWav } from '../../server/src/stems/decodeWav.ts';
import { uploadStemAs } from '../e2e/productHarness.ts';
import { connectWithCookie, whenSocketSynced, type HttpUser, type SocketClient } from '../integration/reviewHarness.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { floatWav, nullDb, rmsDb, sine } from '../renderFixtures.ts';
import { openRawWriter, startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

const SR = 48_000;
const RIDE_DB = -20;
let fx: SecurityFixture;
let engineer: HttpUser;
let listener: HttpUser;
let trackId: string;
let busId: string;
/** The owner's real client: the peer that must never see what the server refuses. */
let observer: SocketClient;
/** The engineer's real client: legit edits, to show the room still syncs. */
let editor: SocketClient;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  fx = await startSecurityFixture();
  engineer = await fx.member('engineer', 'Eve');
  listener = await fx.member('listener', 'Lou');
  const tone = sine(2 * SR, 440, 0.5, SR);
  trackId = await uploadStemAs(fx.owner, fx.roomId, 'tone.wav', floatWav([tone, tone], SR));
  observer = connectWithCookie(fx.product.url, fx.roomId, fx.owner.cookie);
  editor = connectWithCookie(fx.product.url, fx.roomId, engineer.cookie);
  cleanup.push(() => observer.destroy(), () => editor.destroy());
  await whenSocketSynced(observer);
  await whenSocketSynced(editor);
  await waitFor('the uploaded track on both peers', () => [observer, editor].every((c) => readMixState(c.doc).tracks.some((t) => t.id === trackId)));
  busId = readMixState(observer.doc).buses[0]!.id;
}, 120_000);
afterAll(async () => {
  for (const dispose of cleanup.splice(0)) dispose();
  await fx?.close();
});

/** A raw writer (see openRawWriter), closed after the file. */
async function rawWriter(user: HttpUser) {
  const writer = await openRawWriter(fx, user);
  cleanup.push(() => writer.close());
  return writer;
}

const serverDoc = <T>(read: (doc: Y.Doc) => T): Promise<T> => fx.product.server.services.rooms.withRoom(fx.roomId as RoomId, read);
const automationMap = (strip: Y.Map<unknown> | null) => strip?.get(AUTOMATION_KEY) as Y.Map<unknown>;
const trackAutomation = (doc: Y.Doc) => automationMap(getTrackMap(doc, trackId));

/** Every stored automation entry of every strip, as `[strip, key, value]`. */
function storedPoints(doc: Y.Doc): Array<[string, string, unknown]> {
  const out: Array<[string, string, unknown]> = [];
  const state = readMixState(doc);
  const strips: Array<[string, Y.Map<unknown> | null]> = [
    ...state.tracks.map((t) => [t.id, getTrackMap(doc, t.id)] as [string, Y.Map<unknown> | null]),
    ...state.buses.map((b) => [b.id, getBusMap(doc, b.id)] as [string, Y.Map<unknown> | null]),
    ['master', getMasterMap(doc)],
  ];
  for (const [id, strip] of strips) {
    const map = strip?.get(AUTOMATION_KEY);
    if (map instanceof Y.Map) for (const [key, value] of map.entries()) out.push([id, key, value]);
  }
  return out;
}

/** The ids of every point the lanes of `state` hold, per strip. */
function laneIds(state: MixState): Set<string> {
  const ids = new Set<string>();
  const add = (strip: string, lanes: AutomationLanes) => Object.values(lanes).forEach((l) => l.points.forEach((p) => ids.add(`${strip}/${p.id}`)));
  state.tracks.forEach((t) => add(t.id, t.automation));
  state.buses.forEach((b) => add(b.id, b.automation));
  add('master', state.master.automation);
  return ids;
}

let probe = 0;
/**
 * What must hold after every attack: the server and both peers agree on one valid mix; the
 * server stores only the points its lanes hold (nothing a lane drops, at most
 * MAX_POINTS_PER_LANE per lane); and a legit edit (a rename: it does not change the sound)
 * still reaches the other peer.
 */
async function expectRoomSound(): Promise<MixState> {
  const name = `tone ${++probe}`;
  renameTrack(editor.doc, { trackId, name }, createOrigin('local-user', 'eve'));
  await waitFor('a legit edit reaches the other peer', () => readMixState(observer.doc).tracks.find((t) => t.id === trackId)?.name === name, 30_000);
  const state = await serverDoc(readMixState);
  expect(validateMixState(state)).toMatchObject({ ok: true });
  // The repair (if any) is a server write after the attack: every peer gets it.
  for (const peer of [observer, editor]) await expect.poll(() => readMixState(peer.doc), { timeout: 30_000 }).toEqual(state);
  const kept = laneIds(state);
  for (const doc of [await serverDoc((d) => d), observer.doc, editor.doc]) {
    const stored = storedPoints(doc);
    const stray = stored.filter(([strip, key]) => !kept.has(`${strip}/${key}`)).map(([strip, key, v]) => `${strip}/${key}: ${JSON.stringify(v instanceof Y.AbstractType ? v.toJSON() : v)?.slice(0, 80)}`);
    expect(stray.slice(0, 5), `${stray.length} stored entries no lane holds`).toEqual([]);
    expect(stored.every(([, , v]) => !(v instanceof Y.AbstractType))).toBe(true);
  }
  return state;
}

const gainLane = (state: MixState) => state.tracks.find((t) => t.id === trackId)!.automation;
const point = (param: string, time: unknown, value: unknown, curve: unknown = 'linear') => ({ param, time, value, curve });

describe('automation over the raw socket', () => {
  it('a listener writing a lane point is told it is read-only; nobody ever sees the point', async () => {
    const raw = await rawWriter(listener);
    await raw.write((doc) => trackAutomation(doc).set('listenerpoint', point('gain', 1, 6)));
    expect(raw.types).toContain(MESSAGE_TYPES.auth);
    expect(raw.open).toBe(true);
    // Through the real client and the ops too: applied locally, refused by the server.
    const client = connectWithCookie(fx.product.url, fx.roomId, listener.cookie);
    cleanup.push(() => client.destroy());
    await whenSocketSynced(client);
    addAutomationPoint(client.doc, { address: { kind: 'track', trackId, param: 'gain' }, time: 2, value: 6, id: 'listenerop' }, createOrigin('local-user', 'lou'));
    await waitFor('read-only notice', () => client.notices.includes('listener'));
    await expectRoomSound();
    for (const doc of [await serverDoc((d) => d), observer.doc]) {
      expect(trackAutomation(doc).has('listenerpoint')).toBe(false);
      expect(trackAutomation(doc).has('listenerop')).toBe(false);
    }
    expect(gainLane(readMixState(observer.doc)).gain).toBeUndefined();
  });

  it(`100k points on one lane: the room keeps ${MAX_POINTS_PER_LANE}, the earliest, and the ops can still edit it`, async () => {
    const raw = await rawWriter(engineer);
    const bytes = await raw.write((doc) => {
      const map = trackAutomation(doc);
      for (let i = 0; i < 100_000; i++) map.set(`flood${i}`, point('gain', i * 0.01, RIDE_DB));
    });
    console.log(`100k-point lane update: ${(bytes / 1e6).toFixed(2)} MB in one frame`);
    expect(raw.open).toBe(true);
    const state = await expectRoomSound();
    const lane = gainLane(state).gain!;
    expect(lane.points).toHaveLength(MAX_POINTS_PER_LANE);
    expect(lane.points.at(-1)).toMatchObject({ id: `flood${MAX_POINTS_PER_LANE - 1}`, value: RIDE_DB });
    expect(await serverDoc((d) => trackAutomation(d).size)).toBe(MAX_POINTS_PER_LANE);
    // The lane is full, as through the ops: one more is refused with a typed error...
    const address = { kind: 'track', trackId, param: 'gain' } as const;
    expect(() => addAutomationPoint(editor.doc, { address, time: 50, value: 0 }, createOrigin('local-user', 'eve'))).toThrow(MixOpError);
    // ...and one more over the socket is not stored either.
    await raw.write((doc) => trackAutomation(doc).set('oneMore', point('gain', 0.005, RIDE_DB)));
    await expectRoomSound();
    expect(await serverDoc((d) => trackAutomation(d).size)).toBe(MAX_POINTS_PER_LANE);
  }, 120_000);

  it('points on parameters that may not move, or for sends the strip lacks, are never a lane', async () => {
    const raw = await rawWriter(engineer);
    await raw.write((doc) => {
      const map = trackAutomation(doc);
      for (const param of ['eq.bands.2.q', 'comp.ratio', 'gate.on', 'output', 'nonsense', 'sends.nobus.level', `sends.${busId}.level`, '__proto__', 'eq.bands.9.gain', ''])
        map.set(`np${param.replace(/\W/g, '')}`, point(param, 1, 0));
      automationMap(getMasterMap(doc)).set('masterpan', point('pan', 1, 0.5));
      automationMap(getBusMap(doc, busId)).set('buseq', point('eq.bands.0.gain', 1, 3));
    });
    const state = await expectRoomSound();
    expect(Object.keys(gainLane(state))).toEqual(['gain']);
    expect(state.master.automation).toEqual({});
    expect(state.buses.find((b) => b.id === busId)!.automation).toEqual({});
  });

  it('NaN, Infinity and huge times and values: dropped or clamped as the contract says', async () => {
    const raw = await rawWriter(engineer);
    const range = laneRangeOf('track', 'sat.drive');
    if (range === null || range === 'switch') throw new Error('sat.drive is a continuous lane');
    await raw.write((doc) => {
      const map = trackAutomation(doc);
      map.set('nanTime', point('sat.drive', Number.NaN, 3));
      map.set('infTime', point('sat.drive', Number.POSITIVE_INFINITY, 3));
      map.set('negInfTime', point('sat.drive', Number.NEGATIVE_INFINITY, 3));
      map.set('nanValue', point('sat.drive', 5, Number.NaN));
      map.set('infValue', point('sat.drive', 6, Number.POSITIVE_INFINITY));
      map.set('hugeTime', point('sat.drive', 1e308, 3));
      map.set('hugeValue', point('sat.drive', 7, 1e300));
      map.set('tinyValue', point('sat.drive', -50, -1e300));
    });
    const state = await expectRoomSound();
    expect(gainLane(state)['sat.drive']!.points.map((p) => [p.id, p.time, p.value])).toEqual([
      ['tinyValue', 0, range.min],
      ['hugeValue', 7, range.max],
      ['hugeTime', MAX_AUTOMATION_SECONDS, 3],
    ]);
  });

  it('wrong types, bad ids, nested types and ghost points are never a point anyone sees but cannot delete', async () => {
    const raw = await rawWriter(engineer);
    await raw.write((doc) => {
      const map = trackAutomation(doc);
      map.set('strTime', point('eq.bands.1.freq', '5', 1000));
      map.set('objValue', point('eq.bands.1.freq', 5, { v: 1000 }));
      map.set('paramNum', { param: 42, time: 5, value: 1000, curve: 'linear' });
      map.set('aString', 'not a point');
      map.set('aNumber', 12);
      map.set('aNull', null);
      map.set('anArray', [1, 2, 3]);
      map.set('bad id!', point('eq.bands.1.freq', 3, 1000));
      map.set('x'.repeat(65), point('eq.bands.1.freq', 4, 1000));
      map.set('oddCurve', point('eq.bands.1.freq', 8, 2000, 42));
      // A Y.Map reads back (toJSON) as a point, but no op sees it as one.
      const nested = new Y.Map<unknown>();
      map.set('nested', nested);
      for (const [k, v] of Object.entries(point('eq.bands.1.freq', 9, 3000))) nested.set(k, v);
      // `__proto__` becomes the prototype of the read object: its keys would be inherited points.
      const ghost = new Y.Map<unknown>();
      map.set('__proto__', ghost);
      ghost.set('ghost', point('eq.bands.1.freq', 10, 4000));
      automationMap(getBusMap(doc, busId)).set('bogus', 'x');
    });
    let state = await expectRoomSound();
    expect(gainLane(state)['eq.bands.1.freq']!.points.map((p) => [p.id, p.value, p.curve])).toEqual([['oddCurve', 2000, 'linear']]);
    // The strip's automation map itself replaced by a string: the lanes read empty, the ops recreate it.
    await raw.write((doc) => getBusMap(doc, busId)!.set(AUTOMATION_KEY, 'gone'));
    state = await expectRoomSound();
    expect(state.buses.find((b) => b.id === busId)!.automation).toEqual({});
    addAutomationPoint(editor.doc, { address: { kind: 'bus', busId, param: 'gain' }, time: 1, value: -3, id: 'busride' }, createOrigin('local-user', 'eve'));
    await expect.poll(async () => (await serverDoc(readMixState)).buses.find((b) => b.id === busId)!.automation.gain?.points.length, { timeout: 30_000 }).toBe(1);
    await expectRoomSound();
  });

  it('a version of the attacked room bakes the sanitized lanes: finite, and nulls against the same ride written by the ops', async () => {
    const state = await expectRoomSound();
    const plan = buildMixPlan(state);
    const numbers: number[] = [];
    JSON.stringify(plan, (_k, v: unknown) => (typeof v === 'number' && numbers.push(v), v));
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.filter((n) => !Number.isFinite(n))).toEqual([]);

    const attacked = await bakeVersion('attacked');
    // The same sound through the ops alone: the fader at the ride's value, no lanes that move it.
    const o = createOrigin('local-user', 'eve');
    for (const param of ['gain', 'sat.drive', 'eq.bands.1.freq'] as const) clearAutomationLane(editor.doc, { address: { kind: 'track', trackId, param } }, o);
    clearAutomationLane(editor.doc, { address: { kind: 'bus', busId, param: 'gain' } }, o);
    setTrackParam(editor.doc, { trackId, param: 'gain', value: RIDE_DB }, o);
    await expect.poll(async () => laneIds(await serverDoc(readMixState)).size, { timeout: 30_000 }).toBe(0);
    await expectRoomSound();
    const clean = await bakeVersion('clean');
    const levels = attacked.map((ch) => rmsDb(ch));
    console.log(`attacked bake: ${attacked[0]!.length} frames, rms ${levels.map((l) => l.toFixed(2)).join(' / ')} dBFS, null vs clean ${nullDb(attacked[0]!, clean[0]!).toFixed(1)} dB`);
    for (const ch of attacked) {
      expect(ch.every(Number.isFinite)).toBe(true);
      // The 0.5 sine (-9 dBFS rms) ridden at -20 dB: heard, and not louder than the ride.
      expect(rmsDb(ch)).toBeGreaterThan(-9 + RIDE_DB - 6);
      expect(rmsDb(ch)).toBeLessThan(-9 + RIDE_DB + 1);
    }
    for (const [i, ch] of attacked.entries()) expect(nullDb(ch, clean[i]!), `channel ${i}`).toBeLessThan(-90);
  }, 240_000);
});

/** Saves a version as the engineer, waits for its bake, and returns the decoded wav24 download. */
async function bakeVersion(name: string): Promise<Float32Array[]> {
  const saved = await engineer.json<{ version: { id: string } }>('POST', fx.api('/versions'), { name, note: '' });
  expect(saved.status).toBe(201);
  const id = saved.body.version.id;
  let bake: BakeRecord | undefined;
  await expect
    .poll(
      async () => {
        await fx.product.review.bakesIdle();
        bake = (await engineer.json<{ version: { bake: BakeRecord } }>('GET', fx.api(`/versions/${id}`))).body.version.bake;
        return bake?.status;
      },
      { timeout: 120_000, interval: 500 },
    )
    .toMatch(/^(done|failed)$/);
  expect({ status: bake!.status, error: bake!.error }).toEqual({ status: 'done', error: null });
  for (const m of Object.values(bake!.formats)) expect([m!.integratedLufs, m!.truePeakDb].every(Number.isFinite)).toBe(true);
  const link = await engineer.json<{ download: { url: string } }>('GET', fx.api(`/versions/${id}/download/wav24`));
  const bytes = new Uint8Array(await (await fetch(new URL(link.body.download.url, fx.product.url))).arrayBuffer());
  return decodeWav(bytes, { maxSeconds: 600 }).channelData;
}
