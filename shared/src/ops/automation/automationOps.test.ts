import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_AUTOMATION_SECONDS, MAX_POINTS_PER_LANE } from '../../model/AutomationLane.ts';
import { initMixDoc } from '../../model/initMixDoc.ts';
import { lanesOf } from '../../model/lanesOf.ts';
import { readMixState } from '../../model/readMixState.ts';
import { validateMixState } from '../../model/validateMixState.ts';
import { createOrigin } from '../../protocol/TransactionOrigin.ts';
import { mixOpErrorCode } from '../mixOpErrorCode.testkit.ts';
import type { ParamAddress } from '../ParamAddress.ts';
import { addBus } from '../addBus.ts';
import { addSend } from '../addSend.ts';
import { addTrack } from '../addTrack.ts';
import { removeBus } from '../removeBus.ts';
import { removeSend } from '../removeSend.ts';
import { removeTrack } from '../removeTrack.ts';
import { addAutomationPoint } from './addAutomationPoint.ts';
import { clearAutomationLane } from './clearAutomationLane.ts';
import { moveAutomationPoint } from './moveAutomationPoint.ts';
import { removeAutomationPoints } from './removeAutomationPoints.ts';
import { setAutomationCurve } from './setAutomationCurve.ts';
import { writeAutomationRange } from './writeAutomationRange.ts';

const o = createOrigin('local-user', 'u1');
const fader: ParamAddress = { kind: 'track', trackId: 'vox', param: 'gain' };
const mute: ParamAddress = { kind: 'track', trackId: 'vox', param: 'mute' };
const send: ParamAddress = { kind: 'send', fromId: 'vox', busId: 'rev', param: 'level' };

function setup() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { name: 'Lead Vocal', stem: null, id: 'vox' }, o);
  addTrack(doc, { name: 'Bass', stem: null, id: 'bass' }, o);
  addBus(doc, { kind: 'group', name: 'Drums', id: 'drums' }, o);
  addSend(doc, { fromId: 'vox', busId: 'rev' }, o);
  addSend(doc, { fromId: 'drums', busId: 'rev' }, o);
  return doc;
}

const lane = (doc: Y.Doc, path: string, scope: 'track' | 'bus' | 'master' = 'track', id = 'vox') =>
  (lanesOf(readMixState(doc), scope, id)[path]?.points ?? []).map((p) => [p.time, p.value, p.curve]);

const code = mixOpErrorCode;

describe('automation ops', () => {
  it('add, move, set curve, remove and clear points of a lane', () => {
    const doc = setup();
    const a = addAutomationPoint(doc, { address: fader, time: 72, value: -6 }, o);
    const b = addAutomationPoint(doc, { address: fader, time: 100, value: -4, curve: 'step' }, o);
    addAutomationPoint(doc, { address: fader, time: 90, value: -5, id: 'given' }, o);
    expect(lane(doc, 'gain')).toEqual([
      [72, -6, 'linear'],
      [90, -5, 'linear'],
      [100, -4, 'step'],
    ]);
    moveAutomationPoint(doc, { address: fader, id: a, time: 80 }, o);
    moveAutomationPoint(doc, { address: fader, id: b, value: -2 }, o);
    setAutomationCurve(doc, { address: fader, id: 'given', curve: 'step' }, o);
    expect(lane(doc, 'gain')).toEqual([
      [80, -6, 'linear'],
      [90, -5, 'step'],
      [100, -2, 'step'],
    ]);
    expect(removeAutomationPoints(doc, { address: fader, ids: [a, 'gone', a] }, o)).toBe(1);
    expect(lane(doc, 'gain')).toHaveLength(2);
    expect(clearAutomationLane(doc, { address: fader }, o)).toBe(2);
    expect(readMixState(doc).tracks.find((t) => t.id === 'vox')!.automation).toEqual({});
  });

  it('addresses every automatable strip: track EQ, send level, group bus, master', () => {
    const doc = setup();
    addAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'eq.bands.2.gain' }, time: 1, value: 3 }, o);
    addAutomationPoint(doc, { address: send, time: 2, value: -12 }, o);
    addAutomationPoint(doc, { address: { kind: 'send', fromId: 'drums', busId: 'rev', param: 'level' }, time: 3, value: -18 }, o);
    addAutomationPoint(doc, { address: { kind: 'bus', busId: 'drums', param: 'pan' }, time: 4, value: -0.5 }, o);
    addAutomationPoint(doc, { address: { kind: 'master', param: 'limiter.ceiling' }, time: 5, value: -2 }, o);
    expect(lane(doc, 'eq.bands.2.gain')).toEqual([[1, 3, 'linear']]);
    expect(lane(doc, 'sends.rev.level')).toEqual([[2, -12, 'linear']]);
    expect(lane(doc, 'sends.rev.level', 'bus', 'drums')).toEqual([[3, -18, 'linear']]);
    expect(lane(doc, 'pan', 'bus', 'drums')).toEqual([[4, -0.5, 'linear']]);
    expect(lane(doc, 'limiter.ceiling', 'master')).toEqual([[5, -2, 'linear']]);
    expect(validateMixState(readMixState(doc)).ok).toBe(true);
  });

  it('clamps values to the parameter range and times to the song; mute is a held 0/1', () => {
    const doc = setup();
    addAutomationPoint(doc, { address: fader, time: -5, value: 1e9 }, o);
    addAutomationPoint(doc, { address: fader, time: 1e12, value: -1e9 }, o);
    addAutomationPoint(doc, { address: send, time: 1, value: 99 }, o);
    addAutomationPoint(doc, { address: mute, time: 1, value: true }, o);
    addAutomationPoint(doc, { address: mute, time: 2, value: 0.2 }, o);
    expect(lane(doc, 'gain')).toEqual([
      [0, 12, 'linear'],
      [MAX_AUTOMATION_SECONDS, -100, 'linear'],
    ]);
    expect(lane(doc, 'sends.rev.level')).toEqual([[1, 12, 'linear']]);
    expect(lane(doc, 'mute')).toEqual([
      [1, 1, 'step'],
      [2, 0, 'step'],
    ]);
  });

  it('refuses bad input with a typed error and writes nothing', () => {
    const doc = setup();
    const id = addAutomationPoint(doc, { address: fader, time: 1, value: 0 }, o);
    const before = Y.encodeStateAsUpdate(doc);
    const cases: [string, () => unknown][] = [
      ['not-finite', () => addAutomationPoint(doc, { address: fader, time: Number.NaN, value: 0 }, o)],
      ['not-finite', () => addAutomationPoint(doc, { address: fader, time: 1, value: Number.POSITIVE_INFINITY }, o)],
      ['wrong-type', () => addAutomationPoint(doc, { address: fader, time: '1' as never, value: 0 }, o)],
      ['wrong-type', () => addAutomationPoint(doc, { address: fader, time: 1, value: '0' as never }, o)],
      ['invalid-value', () => addAutomationPoint(doc, { address: fader, time: 1, value: 0, curve: 'bezier' as never }, o)],
      ['invalid-value', () => addAutomationPoint(doc, { address: mute, time: 1, value: 1, curve: 'linear' }, o)],
      ['invalid-value', () => addAutomationPoint(doc, { address: fader, time: 2, value: 0, id }, o)],
      ['wrong-type', () => addAutomationPoint(doc, { address: fader, time: 2, value: 0, id: 'no spaces' }, o)],
      ['not-automatable', () => addAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'panLaw' }, time: 1, value: 0 }, o)],
      ['not-automatable', () => addAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'comp.ratio' }, time: 1, value: 2 }, o)],
      ['not-automatable', () => addAutomationPoint(doc, { address: { kind: 'send', fromId: 'vox', busId: 'rev', param: 'pre' }, time: 1, value: 0 }, o)],
      ['not-automatable', () => addAutomationPoint(doc, { address: { kind: 'effect', busId: 'rev', param: 'decay' }, time: 1, value: 1 }, o)],
      ['not-automatable', () => addAutomationPoint(doc, { address: { kind: 'output', id: 'vox' }, time: 1, value: 0 }, o)],
      ['not-automatable', () => addAutomationPoint(doc, { address: { kind: 'master', param: 'glue.ratio' }, time: 1, value: 2 }, o)],
      ['unknown-track', () => addAutomationPoint(doc, { address: { kind: 'track', trackId: 'nope', param: 'gain' }, time: 1, value: 0 }, o)],
      ['unknown-bus', () => addAutomationPoint(doc, { address: { kind: 'send', fromId: 'bass', busId: 'rev', param: 'level' }, time: 1, value: 0 }, o)],
      ['unknown-point', () => moveAutomationPoint(doc, { address: fader, id: 'nope', time: 3 }, o)],
      ['unknown-point', () => moveAutomationPoint(doc, { address: send, id, time: 3 }, o)],
      ['invalid-value', () => moveAutomationPoint(doc, { address: fader, id }, o)],
      ['not-finite', () => moveAutomationPoint(doc, { address: fader, id, value: Number.NaN }, o)],
      ['unknown-point', () => setAutomationCurve(doc, { address: fader, id: 'nope', curve: 'step' }, o)],
      ['wrong-type', () => removeAutomationPoints(doc, { address: fader, ids: 'all' as never }, o)],
      ['invalid-value', () => removeAutomationPoints(doc, { address: fader, ids: Array.from({ length: MAX_POINTS_PER_LANE + 1 }, () => id) }, o)],
      ['invalid-value', () => writeAutomationRange(doc, { address: fader, from: 5, to: 4, points: [] }, o)],
      ['invalid-value', () => writeAutomationRange(doc, { address: fader, from: 0, to: 4, points: [{ time: 1, value: 0 }, { time: 5, value: 0 }] }, o)],
      ['not-finite', () => writeAutomationRange(doc, { address: fader, from: 0, to: 4, points: [{ time: 1, value: Number.NaN }] }, o)],
      ['wrong-type', () => writeAutomationRange(doc, { address: fader, from: 0, to: 4, points: [null as never] }, o)],
      ['wrong-type', () => addAutomationPoint(doc, { address: null as never, time: 1, value: 0 }, o)],
    ];
    for (const [expected, fn] of cases) expect([expected, code(fn)]).toEqual([expected, expected]);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('holds at most MAX_POINTS_PER_LANE points per lane', () => {
    const doc = setup();
    const points = Array.from({ length: MAX_POINTS_PER_LANE }, (_, i) => ({ time: i * 0.01, value: -i % 50 }));
    expect(writeAutomationRange(doc, { address: fader, from: 0, to: 100, points }, o)).toHaveLength(MAX_POINTS_PER_LANE);
    const before = Y.encodeStateAsUpdate(doc);
    expect(code(() => addAutomationPoint(doc, { address: fader, time: 200, value: 0 }, o))).toBe('too-many-points');
    expect(code(() => writeAutomationRange(doc, { address: fader, from: 90, to: 100, points: [{ time: 95, value: 0 }] }, o))).toBe('too-many-points');
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    // Another lane of the same strip is not full.
    addAutomationPoint(doc, { address: send, time: 1, value: 0 }, o);
    expect(lane(doc, 'gain')).toHaveLength(MAX_POINTS_PER_LANE);
  });

  it('writes a span: points inside [from, to] replaced in one update, the rest kept', () => {
    const doc = setup();
    for (const t of [1, 2, 3, 4, 5]) addAutomationPoint(doc, { address: fader, time: t, value: -t, id: `p${t}` }, o);
    let updates = 0;
    doc.on('update', () => updates++);
    const ids = writeAutomationRange(doc, { address: fader, from: 2, to: 4, points: [{ time: 2, value: 0 }, { time: 3.5, value: 6, curve: 'step' }, { time: 4, value: 0, id: 'p4' }] }, o);
    expect(updates).toBe(1);
    expect(ids[2]).toBe('p4');
    expect(lane(doc, 'gain')).toEqual([
      [1, -1, 'linear'],
      [2, 0, 'linear'],
      [3.5, 6, 'step'],
      [4, 0, 'linear'],
      [5, -5, 'linear'],
    ]);
    // An empty span erases.
    writeAutomationRange(doc, { address: fader, from: 0, to: 4.5, points: [] }, o);
    expect(lane(doc, 'gain')).toEqual([[5, -5, 'linear']]);
  });

  it('removing a bus, a send or a track takes their lanes along', () => {
    const doc = setup();
    addAutomationPoint(doc, { address: send, time: 1, value: -6 }, o);
    addAutomationPoint(doc, { address: { kind: 'send', fromId: 'drums', busId: 'rev', param: 'level' }, time: 1, value: -6 }, o);
    addAutomationPoint(doc, { address: fader, time: 1, value: 0 }, o);
    const stored = (id: string, tracks = true) => {
      const strips = (doc.getMap('mix').get(tracks ? 'tracks' : 'buses') as Y.Map<Y.Map<unknown>>).get(id)!;
      return [...(strips.get('automation') as Y.Map<{ param: string }>).values()].map((p) => p.param).sort();
    };
    removeBus(doc, { busId: 'rev' }, o);
    // Deleted in the document, not just hidden on read.
    expect(stored('vox')).toEqual(['gain']);
    expect(stored('drums', false)).toEqual([]);
    addSend(doc, { fromId: 'vox', busId: 'dly' }, o);
    addAutomationPoint(doc, { address: { kind: 'send', fromId: 'vox', busId: 'dly', param: 'level' }, time: 1, value: -6 }, o);
    removeSend(doc, { fromId: 'vox', busId: 'dly' }, o);
    expect(stored('vox')).toEqual(['gain']);
    removeTrack(doc, { trackId: 'vox' }, o);
    expect(readMixState(doc).tracks.map((t) => t.id)).toEqual(['bass']);
  });
});
