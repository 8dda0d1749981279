import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { normalizeLane, type AutomationLanes } from './AutomationLane.ts';
import { automationToDocShape, sendBusOfPath, sendLevelPath } from './AutomationRecord.ts';
import { defaultBus, defaultMaster, defaultTrack } from './mixDefaults.ts';
import { getTracksMap } from './mixDocAccessors.ts';
import { initMixDoc } from './initMixDoc.ts';
import { readMixState } from './readMixState.ts';
import { repairMixState } from './repairMixState.ts';
import { syncYMap } from './syncYMap.ts';
import { trackToDocShape } from './TrackRecord.ts';
import { validateMixState } from './validateMixState.ts';
import type { MixState } from './MixState.ts';

const pt = (id: string, time: number, value: number, curve: 'linear' | 'step' = 'linear') => ({ id, time, value, curve });

function mixWithLanes(): MixState {
  const vox = defaultTrack('vox', 'Lead Vocal', null, 0);
  vox.sends = [{ bus: 'rev', level: -10, pre: false, on: true }];
  vox.automation = {
    gain: { points: [pt('g1', 72, -3), pt('g2', 100, -1, 'step'), pt('g3', 120.5, -6)] },
    mute: { points: [pt('m1', 10, 1, 'step'), pt('m2', 12, 0, 'step')] },
    'sends.rev.level': { points: [pt('s1', 30, -20)] },
    'eq.bands.2.gain': { points: [pt('e1', 0, 3), pt('e2', 1, -3)] },
  };
  const rev = defaultBus('rev', 'Reverb', 'aux', 0);
  rev.automation = { pan: { points: [pt('p1', 5, -1), pt('p2', 6, 1)] } };
  const master = defaultMaster();
  master.automation = { 'limiter.ceiling': { points: [pt('c1', 2, -3)] } };
  return { session: { title: 's', sampleRate: 48000, schemaVersion: 4, tempo: null }, tracks: [vox], buses: [rev], master };
}

/** A doc holding `vox` written straight through its stored shape (no ops). */
function docWith(track = mixWithLanes().tracks[0]!): Y.Doc {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 's', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    getTracksMap(doc)!.set(track.id, map);
    syncYMap(map, trackToDocShape(track));
  });
  return doc;
}

describe('automation records', () => {
  it('stores a strip flat, one atomic leaf per point keyed by its id, and reads it back', () => {
    const doc = docWith();
    const stored = getTracksMap(doc)!.get('vox') as Y.Map<unknown>;
    const automation = stored.get('automation');
    expect(automation).toBeInstanceOf(Y.Map);
    const points = automation as Y.Map<unknown>;
    expect(points.size).toBe(8);
    // A point is a leaf: moving it replaces it whole, two writers never merge halves of one.
    expect(points.get('g2')).toEqual({ param: 'gain', time: 100, value: -1, curve: 'step' });
    expect(points.get('g2')).not.toBeInstanceOf(Y.AbstractType);
    expect(readMixState(doc).tracks[0]!.automation).toEqual(mixWithLanes().tracks[0]!.automation);
  });

  it('drops lanes of params that may not move, of sends the strip lacks, and malformed points on read', () => {
    const doc = docWith();
    const points = (getTracksMap(doc)!.get('vox') as Y.Map<unknown>).get('automation') as Y.Map<unknown>;
    doc.transact(() => {
      points.set('x1', { param: 'panLaw', time: 1, value: 1, curve: 'linear' });
      points.set('x2', { param: 'sends.dly.level', time: 1, value: -3, curve: 'linear' });
      points.set('x3', { param: 'gain', time: 'soon', value: 0, curve: 'linear' });
      points.set('x4', { param: 'gain', time: 80, value: 400, curve: 'bezier' });
      points.set('bad id!', { param: 'gain', time: 81, value: 0, curve: 'linear' });
      points.set('x5', 'not a point');
    });
    const lanes = readMixState(doc).tracks[0]!.automation;
    expect(Object.keys(lanes)).toEqual(['eq.bands.2.gain', 'gain', 'mute', 'sends.rev.level']);
    expect(lanes.gain!.points.map((p) => [p.id, p.time, p.value, p.curve])).toEqual([
      ['g1', 72, -3, 'linear'],
      ['x4', 80, 12, 'linear'],
      ['g2', 100, -1, 'step'],
      ['g3', 120.5, -6, 'linear'],
    ]);
    expect(validateMixState(readMixState(doc)).ok).toBe(true);
  });

  it('validates lanes in a snapshot, naming each problem', () => {
    const good = mixWithLanes();
    expect(validateMixState(good)).toEqual({ ok: true, state: good });
    const bad = structuredClone(good) as unknown as { tracks: { automation: Record<string, unknown> }[]; master: { automation: Record<string, unknown> } };
    bad.tracks[0]!.automation = {
      gain: { points: [pt('a', 5, 0), pt('b', 5.0004, 0), pt('c', 7, 99)] },
      panLaw: { points: [pt('d', 1, 0)] },
      'sends.dly.level': { points: [pt('e', 1, 0)] },
      mute: { points: [pt('a', 1, 0.5, 'linear')] },
      pan: { points: [] },
    };
    bad.master.automation = { pan: { points: [pt('f', 1, 0)] } };
    const result = validateMixState(bad);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/tracks\[0\]\.automation\["gain"\]\.points\[1\]\.time: not after the previous point/),
        expect.stringMatching(/tracks\[0\]\.automation\["gain"\]\.points\[2\]\.value: 99 outside -100\.\.12 dB/),
        expect.stringMatching(/tracks\[0\]\.automation\["panLaw"\]: not an automatable parameter/),
        expect.stringMatching(/tracks\[0\]\.automation\["sends\.dly\.level"\]: not an automatable parameter/),
        expect.stringMatching(/tracks\[0\]\.automation\["mute"\]\.points\[0\]\.id: duplicate point id a/),
        expect.stringMatching(/tracks\[0\]\.automation\["mute"\]\.points\[0\]\.value: 0\.5 outside 0 or 1/),
        expect.stringMatching(/tracks\[0\]\.automation\["mute"\]\.points\[0\]\.curve: a switch lane holds/),
        expect.stringMatching(/tracks\[0\]\.automation\["pan"\]\.points: a lane has at least one point/),
        expect.stringMatching(/master\.automation\["pan"\]: not an automatable parameter/),
      ]),
    );
  });

  it('fills empty lanes into a snapshot from before schema v4', () => {
    const old = structuredClone(mixWithLanes()) as unknown as Record<string, unknown> & { tracks: Record<string, unknown>[]; buses: Record<string, unknown>[]; master: Record<string, unknown> };
    delete old.tracks[0]!.automation;
    delete old.buses[0]!.automation;
    delete old.master.automation;
    const result = validateMixState(old);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.state.tracks[0]!.automation).toEqual({});
    expect(result.state.buses[0]!.automation).toEqual({});
    expect(result.state.master.automation).toEqual({});
  });

  it('a lane that normalizeLane made reads and validates unchanged (gaps pushed by float addition)', () => {
    const lane = normalizeLane([pt('a', 0.1, 0), pt('b', 0.1, 1), pt('c', 0.1, 2), pt('d', 0.1002, 3)], { min: -100, max: 12, unit: 'dB' });
    const t = { ...defaultTrack('t', 'T', null, 0), automation: { gain: lane } };
    const doc = docWith(t);
    expect(readMixState(doc).tracks[0]!.automation).toEqual({ gain: lane });
    const state = readMixState(doc);
    expect(validateMixState(state)).toEqual({ ok: true, state });
  });

  it('repair drops the lane of a send it drops', () => {
    const state = mixWithLanes();
    // The reverb bus vanished (a peer removed it): the send and its lane go together.
    const { state: fixed, fixes } = repairMixState({ ...state, buses: [] });
    expect(fixes).toContainEqual({ kind: 'drop-send', owner: 'track', id: 'vox', bus: 'rev' });
    expect(Object.keys(fixed.tracks[0]!.automation)).toEqual(['gain', 'mute', 'eq.bands.2.gain']);
  });

  it('names send lanes with one codec', () => {
    expect(sendLevelPath('b1')).toBe('sends.b1.level');
    expect(sendBusOfPath('sends.b1.level')).toBe('b1');
    expect(sendBusOfPath('sends..level')).toBeNull();
    expect(sendBusOfPath('gain')).toBeNull();
    const lanes: AutomationLanes = { gain: { points: [pt('a', 1, 0)] } };
    expect(automationToDocShape(lanes)).toEqual({ a: { param: 'gain', time: 1, value: 0, curve: 'linear' } });
  });
});
