import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMixRoot } from '../model/mixDocAccessors.ts';
import { readMixState } from '../model/readMixState.ts';
import { CURRENT_SCHEMA_VERSION } from '../model/schemaVersion.ts';
import { validateMixState } from '../model/validateMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { MixOpError } from './MixOpError.ts';
import { migrateMixDoc } from './migrateMixDoc.ts';
import { MIX_MIGRATIONS } from './MIX_MIGRATIONS.ts';
import { addTrack } from './addTrack.ts';
import { setSendParam } from './setSendParam.ts';
import { setTrackParam } from './setTrackParam.ts';

const migration = createOrigin('migration', 'server');

function map(entries: Record<string, unknown>): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(entries)) m.set(k, v);
  return m;
}

/** A room saved by the v1 layout: pan in -100..100, sends as a Y.Array of maps. */
function buildV1Doc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const root = getMixRoot(doc);
    root.set('session', map({ title: 'Old song', sampleRate: 44100, schemaVersion: 1, tempo: 96 }));
    const tracks = new Y.Map<unknown>();
    root.set('tracks', tracks);
    const buses = new Y.Map<unknown>();
    root.set('buses', buses);
    root.set('master', map({ gain: -2 }));
    buses.set('rev', map({ id: 'rev', name: 'Plate', kind: 'aux', order: 0, pan: 0, effect: map({ type: 'reverb', decay: 1.5 }) }));
    buses.set('grp', map({ id: 'grp', name: 'Drums', kind: 'group', order: 1, pan: 100, sends: new Y.Array() }));
    const vox = map({ id: 'vox', name: 'Vox', order: 0, gain: -4, pan: -50 });
    tracks.set('vox', vox);
    const voxSends = new Y.Array<Y.Map<unknown>>();
    vox.set('sends', voxSends);
    // The v1 bug: two users added the same send at once and it was duplicated.
    voxSends.push([map({ bus: 'rev', level: -8, pre: false, on: true }), map({ bus: 'rev', level: 0, pre: true, on: true })]);
    const gtr = map({ id: 'gtr', name: 'Gtr', order: 1, pan: 250 });
    tracks.set('gtr', gtr);
  });
  return doc;
}

describe('migrateMixDoc', () => {
  it('brings a v1 document to the current schema', () => {
    const doc = buildV1Doc();
    const result = migrateMixDoc(doc, migration);
    expect(result).toEqual({ from: 1, to: CURRENT_SCHEMA_VERSION });
    const state = readMixState(doc);
    expect(validateMixState(state).ok).toBe(true);
    expect(state.session).toEqual({ title: 'Old song', sampleRate: 44100, schemaVersion: CURRENT_SCHEMA_VERSION, tempo: 96 });
    const vox = state.tracks.find((t) => t.id === 'vox')!;
    expect(vox.pan).toBe(-0.5);
    expect(vox.gain).toBe(-4);
    expect(vox.sends).toEqual([{ bus: 'rev', level: -8, pre: false, on: true }]);
    expect(state.tracks.find((t) => t.id === 'gtr')!.pan).toBe(1);
    expect(state.buses.find((b) => b.id === 'grp')!.pan).toBe(1);
    expect(state.buses.find((b) => b.id === 'rev')!.effect).toMatchObject({ type: 'reverb', decay: 1.5 });
    expect(state.master.gain).toBe(-2);
    // The migrated layout works with the current ops.
    setSendParam(doc, { fromId: 'vox', busId: 'rev', param: 'level', value: -3 }, createOrigin('local-user', 'u'));
    expect(readMixState(doc).tracks.find((t) => t.id === 'vox')!.sends[0]!.level).toBe(-3);
  });

  it('v2 -> v3: strips mixed before pan laws keep the Web Audio law; strips added after get balance', () => {
    const doc = buildV1Doc();
    migrateMixDoc(doc, migration);
    const state = readMixState(doc);
    expect([...state.tracks, ...state.buses].map((s) => [s.id, s.panLaw])).toEqual([
      ['vox', 'webaudio'],
      ['gtr', 'webaudio'],
      ['rev', 'webaudio'],
      ['grp', 'webaudio'],
    ]);
    // Stored, not just read as a default: the law survives any later change to defaults.
    const stored = getMixRoot(doc).get('tracks') as Y.Map<Y.Map<unknown>>;
    expect(stored.get('vox')!.get('panLaw')).toBe('webaudio');
    const added = addTrack(doc, { name: 'New', stem: null }, createOrigin('local-user', 'u'));
    expect(readMixState(doc).tracks.find((t) => t.id === added)!.panLaw).toBe('balance');
    // The owner opts an old strip in.
    setTrackParam(doc, { trackId: 'vox', param: 'panLaw', value: 'balance' }, createOrigin('local-user', 'u'));
    expect(readMixState(doc).tracks.find((t) => t.id === 'vox')!.panLaw).toBe('balance');
  });

  it('v3 -> v4: every strip and the master get an empty automation map; the mix reads as before', () => {
    const doc = buildV1Doc();
    // Stop at v3, as a room saved before automation is stored.
    doc.transact(() => {
      const root = getMixRoot(doc);
      for (const step of MIX_MIGRATIONS.filter((m) => m.from < 3)) step.migrate(root);
      (root.get('session') as Y.Map<unknown>).set('schemaVersion', 3);
    });
    const strips = () => {
      const root = getMixRoot(doc);
      return [...(root.get('tracks') as Y.Map<Y.Map<unknown>>).values(), ...(root.get('buses') as Y.Map<Y.Map<unknown>>).values(), root.get('master') as Y.Map<unknown>];
    };
    expect(strips().some((m) => m.has('automation'))).toBe(false);
    const before = readMixState(doc);
    expect(migrateMixDoc(doc, migration)).toEqual({ from: 3, to: CURRENT_SCHEMA_VERSION });
    for (const m of strips()) {
      expect(m.get('automation')).toBeInstanceOf(Y.Map);
      expect((m.get('automation') as Y.Map<unknown>).size).toBe(0);
    }
    const after = readMixState(doc);
    expect(after).toEqual({ ...before, session: { ...before.session, schemaVersion: CURRENT_SCHEMA_VERSION } });
    expect(after.tracks.every((t) => Object.keys(t.automation).length === 0)).toBe(true);
  });

  it('is idempotent and leaves current or uninitialised documents alone', () => {
    const doc = buildV1Doc();
    migrateMixDoc(doc, migration);
    const sv = Y.encodeStateVector(doc);
    expect(migrateMixDoc(doc, migration)).toEqual({ from: CURRENT_SCHEMA_VERSION, to: CURRENT_SCHEMA_VERSION });
    expect(Y.encodeStateVector(doc)).toEqual(sv);
    expect(migrateMixDoc(new Y.Doc(), migration)).toEqual({ from: null, to: null });
  });

  it('refuses a document from a newer schema without touching it', () => {
    const doc = buildV1Doc();
    doc.transact(() => (getMixRoot(doc).get('session') as Y.Map<unknown>).set('schemaVersion', CURRENT_SCHEMA_VERSION + 1));
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => migrateMixDoc(doc, migration)).toThrow(MixOpError);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});
