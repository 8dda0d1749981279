import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import { getMixRoot, getSessionMap, getTrackMap } from '../model/mixDocAccessors.ts';
import { readMixState } from '../model/readMixState.ts';
import { CURRENT_SCHEMA_VERSION } from '../model/schemaVersion.ts';
import { TRACK_SPEC } from '../model/TrackSpec.ts';
import { validateMixState } from '../model/validateMixState.ts';
import { withAddedRecordParams } from '../model/withAddedParams.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { addTrack } from './addTrack.ts';
import { migrateMixDoc } from './migrateMixDoc.ts';
import { MixOpError } from './MixOpError.ts';
import { removeTrack } from './removeTrack.ts';
import { repairMix } from './repairMix.ts';
import { setGateKey } from './setGateKey.ts';
import { setParam } from './setParam.ts';
import { setTrackParam } from './setTrackParam.ts';

const user = createOrigin('local-user', 'u');
const repair = createOrigin('repair', 'peer');
const migration = createOrigin('migration', 'server');

function sync(...docs: Y.Doc[]) {
  for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

function room() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { name: 'Snare top', stem: null, id: 'top' }, user);
  addTrack(doc, { name: 'Snare bottom', stem: null, id: 'bottom' }, user);
  return doc;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof MixOpError ? e.code : `other: ${String(e)}`;
  }
  return 'none';
}

/** A track as stored before schema 5: no gate section. */
function dropGates(doc: Y.Doc, schema: number): void {
  doc.transact(() => {
    for (const id of ['top', 'bottom']) getTrackMap(doc, id)!.delete('gate');
    getSessionMap(doc)!.set('schemaVersion', schema);
  });
}

describe('the gate in the mix model', () => {
  it('a new track has its gate off and self-keyed, with the table defaults', () => {
    const t = readMixState(room()).tracks[0]!;
    expect(t.gate).toEqual({ on: false, threshold: -40, range: -80, ratio: 100, attack: 0.0005, hold: 0.05, release: 0.15, hysteresis: 6, scHpf: 20, sidechain: null });
    expect(CURRENT_SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
    expect(TRACK_SPEC.gate.since).toBe(5);
  });

  it('migrating a document from before schema 5 creates each gate section, off; edits then merge per parameter', () => {
    const a = room();
    dropGates(a, 4);
    expect(migrateMixDoc(a, migration)).toEqual({ from: 4, to: CURRENT_SCHEMA_VERSION });
    const gate = getTrackMap(a, 'top')!.get('gate');
    expect(gate).toBeInstanceOf(Y.Map);
    expect((gate as Y.Map<unknown>).get('on')).toBe(false);
    const state = readMixState(a);
    expect(validateMixState(state).ok).toBe(true);
    expect(state.tracks.every((t) => !t.gate.on && t.gate.sidechain === null)).toBe(true);
    // Two peers editing different gate parameters of the migrated section both keep theirs.
    const b = new Y.Doc();
    sync(a, b);
    setTrackParam(a, { trackId: 'bottom', param: 'gate.threshold', value: -30 }, user);
    setTrackParam(b, { trackId: 'bottom', param: 'gate.on', value: true }, user);
    sync(a, b);
    expect(readMixState(a).tracks.find((t) => t.id === 'bottom')!.gate).toMatchObject({ on: true, threshold: -30 });
    expect(readMixState(b)).toEqual(readMixState(a));
  });

  it('a snapshot from before the gate validates and is filled with a gate that is off', () => {
    const doc = room();
    const state = readMixState(doc);
    const old = structuredClone(state) as unknown as { tracks: Record<string, unknown>[] };
    for (const t of old.tracks) delete t.gate;
    const snapshot = old as unknown as typeof state;
    expect(validateMixState(snapshot).ok).toBe(true);
    const filled = withAddedRecordParams(snapshot);
    expect(filled.tracks.map((t) => t.gate)).toEqual(state.tracks.map((t) => t.gate));
  });

  it('parameters are clamped and checked like every other write', () => {
    const doc = room();
    setTrackParam(doc, { trackId: 'top', param: 'gate.range', value: -1000 }, user);
    setTrackParam(doc, { trackId: 'top', param: 'gate.scHpf', value: 99999 }, user);
    const g = readMixState(doc).tracks.find((t) => t.id === 'top')!.gate;
    expect([g.range, g.scHpf]).toEqual([-100, 2000]);
    expect(code(() => setTrackParam(doc, { trackId: 'top', param: 'gate.hold', value: NaN }, user))).toBe('not-finite');
    expect(code(() => setTrackParam(doc, { trackId: 'top', param: 'gate.on', value: 1 as never }, user))).toBe('wrong-type');
  });

  it('the key: another existing track only, through its typed address; removing the key track clears it', () => {
    const doc = room();
    setParam(doc, { kind: 'gateKey', trackId: 'bottom' }, 'top', user);
    expect(readMixState(doc).tracks.find((t) => t.id === 'bottom')!.gate.sidechain).toBe('top');
    expect(code(() => setGateKey(doc, { trackId: 'bottom', source: 'bottom' }, user))).toBe('invalid-target');
    expect(code(() => setGateKey(doc, { trackId: 'bottom', source: 'nope' }, user))).toBe('unknown-track');
    expect(code(() => setParam(doc, { kind: 'gateKey', trackId: 'bottom' }, 3, user))).toBe('wrong-type');
    removeTrack(doc, { trackId: 'top' }, user);
    expect(readMixState(doc).tracks.map((t) => [t.id, t.gate.sidechain])).toEqual([['bottom', null]]);
  });

  it('a key set concurrently with the key track being removed is cleared the same way on both peers', () => {
    const a = room();
    const b = new Y.Doc();
    sync(a, b);
    setGateKey(a, { trackId: 'bottom', source: 'top' }, user);
    removeTrack(b, { trackId: 'top' }, user);
    sync(a, b);
    expect(repairMix(a, repair)).toEqual([{ kind: 'clear-gate-key', id: 'bottom' }]);
    expect(repairMix(b, repair)).toEqual([{ kind: 'clear-gate-key', id: 'bottom' }]);
    sync(a, b);
    expect(repairMix(a, repair)).toEqual([]);
    expect(readMixState(a).tracks.find((t) => t.id === 'bottom')!.gate.sidechain).toBeNull();
    expect(readMixState(b)).toEqual(readMixState(a));
    // A self key written by a damaged peer is repaired too, and the section read back is valid.
    a.transact(() => (getTrackMap(a, 'bottom')!.get('gate') as Y.Map<unknown>).set('sidechain', 'bottom'));
    expect(repairMix(a, repair)).toEqual([{ kind: 'clear-gate-key', id: 'bottom' }]);
    expect(validateMixState(readMixState(a)).ok).toBe(true);
    expect(getMixRoot(a).toJSON().tracks.bottom.gate.sidechain).toBeNull();
  });
});
