import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CURRENT_SCHEMA_VERSION, getBusMap, getMasterMap, getMixRoot, getNestedMap, getSessionMap, getTrackMap, initMixDoc, MIX_CAPS, readMixState } from '../../model/index.ts';
import { createOrigin } from '../../protocol/TransactionOrigin.ts';
import { addBus } from '../addBus.ts';
import { addSend } from '../addSend.ts';
import { addTrack } from '../addTrack.ts';
import { addAutomationPoint } from '../automation/addAutomationPoint.ts';
import { observeAutomationRepair } from '../automation/observeAutomationRepair.ts';
import { repairAutomation } from '../automation/repairAutomation.ts';
import { migrateMixDoc } from '../migrateMixDoc.ts';
import { setBusEffectType } from '../setBusEffectType.ts';
import { setGateKey } from '../setGateKey.ts';
import { moveTrack } from '../moveTrack.ts';
import { setMasterParam } from '../setMasterParam.ts';
import { setOutput } from '../setOutput.ts';
import { setSessionTempo } from '../setSessionTempo.ts';
import { setSessionTitle } from '../setSessionTitle.ts';
import { setStripColor } from '../setStripColor.ts';
import { setSidechain } from '../setSidechain.ts';
import { setTrackParam } from '../setTrackParam.ts';
import { setTrackStem } from '../setTrackStem.ts';
import { observeCapRepair } from './observeCapRepair.ts';
import { repairCaps } from './repairCaps.ts';

const origin = createOrigin('local-user', 'test');
const repair = createOrigin('server', 'repair');

function fullMinusOne(): Y.Doc {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 'Caps', sampleRate: 48000 });
  const have = readMixState(doc).tracks.length;
  for (let i = have; i < MIX_CAPS.tracks - 1; i++) addTrack(doc, { name: `T${i}`, stem: null, id: `t${i}` }, origin);
  return doc;
}

describe('repairCaps', () => {
  it('writes nothing to a document within the caps', () => {
    const doc = fullMinusOne();
    let updates = 0;
    doc.on('update', () => (updates += 1));
    expect(repairCaps(doc, repair)).toBe(0);
    expect(updates).toBe(0);
  });

  it('two peers adding the last track at once converge on the same capped mix', () => {
    const a = fullMinusOne();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    addTrack(a, { name: 'From A', stem: null, id: 'zz-a' }, origin);
    addTrack(b, { name: 'From B', stem: null, id: 'zz-b' }, origin);
    const fromA = Y.encodeStateAsUpdate(a);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, fromA);
    expect(readMixState(a).tracks.length).toBe(MIX_CAPS.tracks + 1);
    // Each repairs on its own: the same strip goes, so exchanging the fixes changes nothing.
    expect(repairCaps(a, repair)).toBe(1);
    expect(repairCaps(b, repair)).toBe(1);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readMixState(a)).toEqual(readMixState(b));
    expect(readMixState(a).tracks.map((t) => t.id)).toContain('zz-a');
    expect(readMixState(a).tracks.map((t) => t.id)).not.toContain('zz-b');
    expect(repairCaps(a, repair)).toBe(0);
  });

  it('knows every key shared/ops write: a mix using every op loses nothing', () => {
    const doc = everyOpMix();
    let updates = 0;
    doc.on('update', () => (updates += 1));
    expect(repairCaps(doc, repair)).toBe(0);
    expect(repairAutomation(doc, repair)).toBe(0);
    expect(updates).toBe(0);
  });

  it('deletes unknown root and session keys and cleans extra point fields; two peers repairing converge', () => {
    const base = everyOpMix();
    const a = new Y.Doc();
    Y.applyUpdate(a, Y.encodeStateAsUpdate(base));
    const pad = 'x'.repeat(1000);
    const lane = getTrackMap(a, 'vox')!.get('automation') as Y.Map<Record<string, unknown>>;
    const [pointId] = [...lane.keys()];
    a.transact(() => {
      for (let i = 0; i < 20; i++) getMixRoot(a).set(`junk${i}`, pad);
      getSessionMap(a)!.set('junk', pad);
      getSessionMap(a)!.set('sampleRate', 48_000 + 1e-9);
      lane.set(pointId!, { ...lane.get(pointId!)!, extra: pad, curve: 'c'.repeat(100) });
    }, origin);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    // 20 root keys, 1 session key (a known one written oddly stays: the reader judges it).
    const changedA = repairCaps(a, repair);
    expect(changedA).toBe(repairCaps(b, repair));
    expect(changedA).toBe(20 + 1);
    expect(repairAutomation(a, repair)).toBe(1);
    expect(repairAutomation(b, repair)).toBe(1);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    getSessionMap(base)!.set('sampleRate', 48_000 + 1e-9);
    for (const doc of [a, b]) {
      expect(getMixRoot(doc).toJSON()).toEqual(getMixRoot(base).toJSON());
      expect(repairCaps(doc, repair) + repairAutomation(doc, repair)).toBe(0);
    }
  });

  it('empties the root\'s sequence part (a client that defined the mix as an array); the observer repairs a point given 1,000 fields', () => {
    const server = everyOpMix();
    const disposers = [observeCapRepair(server, repair), observeAutomationRepair(server, repair)];
    const stray = new Y.Doc();
    stray.getArray('mix').push(['x'.repeat(10_000), 'y']);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(stray), 'remote');
    const root = getMixRoot(server);
    expect(root._start).not.toBeNull();
    for (let item = root._start; item !== null; item = item.right) expect(item.deleted).toBe(true);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const send = (change: () => void) => {
      const vector = Y.encodeStateVector(client);
      client.transact(change, origin);
      Y.applyUpdate(server, Y.encodeStateAsUpdate(client, vector), 'remote');
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)), 'remote');
    };
    const lane = getTrackMap(client, 'vox')!.get('automation') as Y.Map<Record<string, unknown>>;
    const [pointId] = [...lane.keys()];
    const point = lane.get(pointId!)!;
    send(() => lane.set(pointId!, { ...point, ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, i])) }));
    expect(lane.get(pointId!)).toEqual(point);
    disposers.forEach((dispose) => dispose());
  });

  it('in a newer schema\'s document keeps foreign keys within MIX_CAPS.foreignBytes, the same on two peers whatever their insertion order', () => {
    const base = everyOpMix();
    getSessionMap(base)!.set('schemaVersion', CURRENT_SCHEMA_VERSION + 1);
    const peers = [0, 1].map(() => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
      return doc;
    });
    // The same 300 KB of keys, inserted in opposite orders on the two peers' strips.
    const keys = Array.from({ length: 300 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    peers.forEach((doc, n) => doc.transact(() => (n === 0 ? keys : [...keys].reverse()).forEach((key) => getTrackMap(doc, n === 0 ? 'vox' : 'kick')!.set(key, 'x'.repeat(1000))), origin));
    Y.applyUpdate(peers[0]!, Y.encodeStateAsUpdate(peers[1]!));
    Y.applyUpdate(peers[1]!, Y.encodeStateAsUpdate(peers[0]!));
    const dropped = peers.map((doc) => repairCaps(doc, repair));
    expect(dropped[0]).toBe(dropped[1]);
    const held = (doc: Y.Doc) => ['kick', 'vox'].map((id) => [...getTrackMap(doc, id)!.keys()].filter((key) => /^k\d/.test(key)).sort());
    expect(held(peers[0]!)).toEqual(held(peers[1]!));
    // Tracks are charged in id order: 'kick' takes 262 KB, 'vox' what is left (nothing).
    const [kick, vox] = held(peers[0]!);
    expect(kick!.length * 1000).toBeLessThanOrEqual(MIX_CAPS.foreignBytes);
    expect(kick!.length).toBeGreaterThan(250);
    expect(vox).toEqual([]);
    expect(repairCaps(peers[0]!, repair)).toBe(0);
  });

  it('deletes keys no strip has at any depth, shared types where a value goes and overlong values; the mix reads as without them', () => {
    const base = everyOpMix();
    const copyOf = (from: Y.Doc) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(from));
      return copy;
    };
    const doc = copyOf(base);
    const junk = (map: Y.Map<unknown> | null, key: string) => map!.set(key, 'x'.repeat(1000));
    const long = 'v'.repeat(MIX_CAPS.valueLength + 1);
    doc.transact(() => {
      const vox = getTrackMap(doc, 'vox');
      for (let i = 0; i < 50; i++) junk(vox, `junk${i}`);
      junk(getNestedMap(vox, ['eq', 'bands', '2']), 'junk');
      junk(getNestedMap(vox, ['comp']), 'junk');
      junk(getNestedMap(vox, ['sends', 'rev']), 'junk');
      vox!.set('gain', new Y.Map(Object.entries({ a: 'x'.repeat(1000) })));
      vox!.set('sat', new Y.Text('x'.repeat(1000)));
      vox!.set('color', long);
      vox!.set('stem', { key: 'rooms/r/stems/a/source.wav', fileName: long, sampleRate: 48000, channels: 2, frames: 48000 });
      // A name past its cap is cut (below), not deleted as an overlong value.
      vox!.set('name', 'n'.repeat(MIX_CAPS.valueLength * 2));
      junk(getBusMap(doc, 'rev'), 'junk');
      junk(getNestedMap(getBusMap(doc, 'rev'), ['effect']), 'junk');
      getBusMap(doc, 'drums')!.set('output', long);
      junk(getMasterMap(doc), 'junk');
      junk(getNestedMap(getMasterMap(doc), ['limiter']), 'junk');
    }, origin);
    // 50 + 3 nested keys and 4 stray values on the track, its name cut (1), 3 on the buses, 2 on the master.
    expect(repairCaps(doc, repair)).toBe(63);
    // The oracle: the same mix with those entries simply absent (and the name at its cap).
    const oracle = copyOf(base);
    oracle.transact(() => {
      const vox = getTrackMap(oracle, 'vox')!;
      for (const key of ['gain', 'sat', 'color', 'stem']) vox.delete(key);
      vox.set('name', 'n'.repeat(MIX_CAPS.nameLength));
      getBusMap(oracle, 'drums')!.delete('output');
    }, origin);
    expect(readMixState(doc)).toEqual(readMixState(oracle));
    expect(readMixState(doc).tracks.find((t) => t.id === 'vox')).toMatchObject({ gain: 0, stem: null });
    expect(repairCaps(doc, repair)).toBe(0);
    expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThan(Y.encodeStateAsUpdate(base).byteLength + 4096);
  });

  it('repairs a remote update that adds an unknown key or an overlong value; a fader edit is not a cap edit', () => {
    const server = everyOpMix();
    const dispose = observeCapRepair(server, repair);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    let repairs = 0;
    server.on('afterTransaction', (tr: Y.Transaction) => void (tr.origin === repair && (repairs += 1)));
    const send = (change: () => void) => {
      const vector = Y.encodeStateVector(client);
      client.transact(change, origin);
      Y.applyUpdate(server, Y.encodeStateAsUpdate(client, vector), 'remote');
    };
    send(() => setTrackParam(client, { trackId: 'vox', param: 'gain', value: -3 }, origin));
    expect(repairs).toBe(0);
    send(() => getNestedMap(getTrackMap(client, 'vox'), ['eq', 'bands', '1'])!.set('junk', 1));
    send(() => getMasterMap(client)!.set('junk', 1));
    send(() => getTrackMap(client, 'vox')!.set('order', new Y.Map()));
    send(() => getTrackMap(client, 'vox')!.set('color', 'c'.repeat(MIX_CAPS.valueLength + 1)));
    expect(repairs).toBe(4);
    expect(getTrackMap(server, 'vox')!.has('color')).toBe(false);
    expect(getNestedMap(getTrackMap(server, 'vox'), ['eq', 'bands', '1'])!.has('junk')).toBe(false);
    expect(getMasterMap(server)!.has('junk')).toBe(false);
    expect(getTrackMap(server, 'vox')!.has('order')).toBe(false);
    dispose();
  });

  it('a document migrated from schema v1 keeps every key', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      const root = doc.getMap('mix');
      root.set('session', new Y.Map(Object.entries({ title: 'Old', sampleRate: 44100, schemaVersion: 1 })));
      root.set('tracks', new Y.Map(Object.entries({ vox: new Y.Map(Object.entries({ id: 'vox', name: 'Vox', order: 0, gain: -4, pan: -50 })) })));
      root.set('buses', new Y.Map());
      root.set('master', new Y.Map(Object.entries({ gain: -2 })));
    });
    migrateMixDoc(doc, repair);
    expect(repairCaps(doc, repair)).toBe(0);
    expect(repairAutomation(doc, repair)).toBe(0);
  });
});

/** A mix that used every op that writes strips: stems, sends, both effects, keys, lanes. */
function everyOpMix(): Y.Doc {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 'Every op', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { name: 'Vox', stem: { key: 'rooms/r/stems/a/source.wav', fileName: 'vox.wav', sampleRate: 48000, channels: 2, frames: 48000 }, id: 'vox' }, origin);
  addTrack(doc, { name: 'Kick', stem: null, id: 'kick' }, origin);
  setTrackStem(doc, { trackId: 'kick', stem: { key: 'rooms/r/stems/b/source.wav', fileName: 'kick.wav', sampleRate: 48000, channels: 1, frames: 4800 } }, origin);
  addBus(doc, { kind: 'group', name: 'Drums', id: 'drums' }, origin);
  addSend(doc, { fromId: 'vox', busId: 'rev' }, origin);
  addSend(doc, { fromId: 'vox', busId: 'dly' }, origin);
  addSend(doc, { fromId: 'drums', busId: 'rev' }, origin);
  setBusEffectType(doc, { busId: 'rev', type: 'delay' }, origin);
  setBusEffectType(doc, { busId: 'rev', type: 'reverb' }, origin);
  setSidechain(doc, { trackId: 'vox', source: 'kick' }, origin);
  setGateKey(doc, { trackId: 'vox', source: 'kick' }, origin);
  setTrackParam(doc, { trackId: 'vox', param: 'eq.bands.2.gain', value: 3 } as never, origin);
  setMasterParam(doc, { param: 'gain', value: -1 }, origin);
  setSessionTitle(doc, { title: 'Every op, titled' }, origin);
  setSessionTempo(doc, { tempo: 96 }, origin);
  setStripColor(doc, { id: 'vox', color: '#ff8800' }, origin);
  setOutput(doc, { id: 'kick', output: 'drums' }, origin);
  moveTrack(doc, { trackId: 'vox', toIndex: 1 }, origin);
  addAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'gain' }, time: 1, value: -3 }, origin);
  addAutomationPoint(doc, { address: { kind: 'send', fromId: 'vox', busId: 'rev', param: 'level' }, time: 2, value: -6 }, origin);
  addAutomationPoint(doc, { address: { kind: 'bus', busId: 'drums', param: 'pan' }, time: 1, value: 0.5 }, origin);
  addAutomationPoint(doc, { address: { kind: 'master', param: 'gain' }, time: 3, value: -2 }, origin);
  return doc;
}
