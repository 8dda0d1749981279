import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import type { MixState } from '../model/MixState.ts';
import { readMixState } from '../model/readMixState.ts';
import { addAutomationPoint, addSend, addTrack, applyMixState, clearAutomationLane, moveAutomationPoint, removeAutomationPoints, setTrackParam, writeAutomationRange, type ParamAddress } from '../ops/index.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { applyMixChanges } from './applyMixChanges.ts';
import { mixSuggestionSchema } from './CommentRecord.ts';
import { SUGGESTION_LANE_POINTS_MAX, type MixChange } from './MixChange.ts';
import { compareLanes, formatSongTime } from './describeLaneChange.ts';
import { diffMixStates, listMixChanges } from './diffMixStates.ts';

const o = createOrigin('local-user', 'engineer');
const fader: ParamAddress = { kind: 'track', trackId: 'vox', param: 'gain' };

/** A room with a Lead Vocal at -4 dB sending to the reverb, as a real Y doc. */
function room(): Y.Doc {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 'Song', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { name: 'Lead Vocal', stem: null, id: 'vox' }, o);
  addSend(doc, { fromId: 'vox', busId: 'rev', level: -12 }, o);
  setTrackParam(doc, { trackId: 'vox', param: 'gain', value: -4 }, o);
  return doc;
}

/** The chorus ride: up 2 dB from 1:12, back at 1:40. */
function ride(doc: Y.Doc, level = -2): void {
  writeAutomationRange(doc, { address: fader, from: 72, to: 100, points: [{ time: 72, value: -4, id: 'r1' }, { time: 73, value: level, id: 'r2' }, { time: 99, value: level, id: 'r3' }, { time: 100, value: -4, id: 'r4' }] }, o);
}

describe('version diff of automation', () => {
  it('names an added ride in words, in the unit of the parameter', () => {
    const doc = room();
    const v1 = readMixState(doc);
    ride(doc);
    const v2 = readMixState(doc);
    expect(diffMixStates(v1, v2)).toEqual(['Lead Vocal fader: automation added, +2 dB from 1:12 to 1:40']);
    // Removing it reads the other way.
    expect(diffMixStates(v2, v1)).toEqual(['Lead Vocal fader: automation removed, -2 dB from 1:12 to 1:40']);
  });

  it('summarises an edited lane: the span that changed and by how much', () => {
    const doc = room();
    ride(doc, -2);
    addAutomationPoint(doc, { address: { kind: 'send', fromId: 'vox', busId: 'rev', param: 'level' }, time: 30, value: -30 }, o);
    addAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'eq.bands.1.freq' }, time: 10, value: 400, id: 'f1' }, o);
    addAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'mute' }, time: 0, value: 0, id: 'm0' }, o);
    const v1 = readMixState(doc);
    moveAutomationPoint(doc, { address: fader, id: 'r3', value: 0 }, o); // the end of the chorus pushes 2 dB more
    moveAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'eq.bands.1.freq' }, id: 'f1', value: 800 }, o);
    writeAutomationRange(doc, { address: { kind: 'track', trackId: 'vox', param: 'mute' }, from: 120, to: 124, points: [{ time: 120, value: 1 }, { time: 124, value: 0 }] }, o);
    clearAutomationLane(doc, { address: { kind: 'send', fromId: 'vox', busId: 'rev', param: 'level' } }, o);
    const v2 = readMixState(doc);
    expect(diffMixStates(v1, v2)).toEqual([
      'Lead Vocal EQ band 2 freq: 400 Hz → 800 Hz from 0:00 to the end',
      'Lead Vocal fader: +2 dB from 1:13 to 1:40',
      'Lead Vocal mute: muted from 2:00 to 2:04',
      'Lead Vocal send to Reverb: automation removed, +18 dB from 0:00 to the end',
    ]);
    const changes = listMixChanges(v1, v2).map((c) => [c.kind, c.path.join('.'), c.before, c.after]);
    expect(changes).toEqual([
      ['param', 'automation.eq.bands.1.freq', 1, 1],
      ['param', 'automation.gain', 4, 4],
      ['param', 'automation.mute', 1, 3],
      ['removed', 'automation.sends.rev.level', null, null],
    ]);
    // Same curve through other points: named, but as an edit with no change heard.
    const v3doc = room();
    applyMixState(v3doc, v2, o);
    removeAutomationPoints(v3doc, { address: fader, ids: ['r2'] }, o);
    addAutomationPoint(v3doc, { address: fader, time: 73, value: -2, id: 'r2b' }, o);
    expect(diffMixStates(v2, readMixState(v3doc))).toEqual(['Lead Vocal fader: automation points edited, same curve']);
    // A comment's suggestion carries the proposed lanes (as posted: through its schema); applying
    // it to the mix the commenter heard gives the mix they proposed, and writes to a real doc.
    const suggestion = mixSuggestionSchema.parse(JSON.parse(JSON.stringify({ changes: listMixChanges(v1, v2) })));
    const applied = applyMixChanges(v1, suggestion.changes);
    expect(applied.skipped).toEqual([]);
    expect(applied.state).toEqual(v2);
    const target = room();
    applyMixState(target, v1, o);
    applyMixState(target, applied.state, o);
    expect(readMixState(target)).toEqual(v2);
  });

  it('a suggested lane is clamped on apply; too long a lane, a vanished send or a bad lane is words only', () => {
    const doc = room();
    const heard = readMixState(doc);
    const long = Array.from({ length: SUGGESTION_LANE_POINTS_MAX + 1 }, (_, i) => ({ time: i * 0.01, value: -10 }));
    writeAutomationRange(doc, { address: fader, from: 0, to: 100, points: long }, o);
    addAutomationPoint(doc, { address: { kind: 'send', fromId: 'vox', busId: 'rev', param: 'level' }, time: 1, value: -6 }, o);
    const changes = listMixChanges(heard, readMixState(doc));
    expect(changes.map((c) => [c.path.join('.'), c.lane?.points.length])).toEqual([
      ['automation.gain', undefined],
      ['automation.sends.rev.level', 1],
    ]);
    const noSend = structuredClone(heard);
    noSend.tracks[0]!.sends = [];
    const result = applyMixChanges(noSend, changes);
    expect(result.applied).toEqual([]);
    expect(result.state).toEqual(noSend);
    // A hand-made lane: out of range and unsorted, read as normalizeLane reads a stored one.
    const handMade: MixChange = { kind: 'added', scope: 'track', id: 'vox', path: ['automation', 'pan'], before: null, after: null, text: 'Vox pan', lane: { points: [{ id: 'b', time: 2, value: 5, curve: 'linear' }, { id: 'a', time: 1, value: -0.5, curve: 'linear' }] } };
    const panned = applyMixChanges(heard, [handMade, { ...handMade, path: ['automation', 'panLaw'] }]);
    expect(panned.skipped.map((c) => c.path.join('.'))).toEqual(['automation.panLaw']);
    expect(panned.state.tracks[0]!.automation.pan!.points.map((p) => [p.id, p.value])).toEqual([
      ['a', -0.5],
      ['b', 1],
    ]);
    expect(mixSuggestionSchema.safeParse({ changes: [{ ...handMade, lane: { points: [{ id: 'x', time: Number.NaN, value: 0, curve: 'linear' }] } }] }).success).toBe(false);
  });

  it('a change list carries at most SUGGESTION_LANE_POINTS_MAX lane points in all, in order', () => {
    const doc = room();
    const heard = readMixState(doc);
    const half = Math.floor(SUGGESTION_LANE_POINTS_MAX / 2) + 1;
    for (const param of ['eq.bands.0.gain', 'eq.bands.1.gain'] as const) {
      const points = Array.from({ length: half }, (_, i) => ({ time: i * 0.01, value: -1 }));
      writeAutomationRange(doc, { address: { kind: 'track', trackId: 'vox', param }, from: 0, to: 100, points }, o);
    }
    const changes = listMixChanges(heard, readMixState(doc));
    expect(changes.map((c) => c.lane?.points.length)).toEqual([half, undefined]);
    expect(mixSuggestionSchema.safeParse({ changes }).success).toBe(true);
    const over = [changes[0]!, { ...changes[1]!, lane: changes[0]!.lane }];
    expect(mixSuggestionSchema.safeParse({ changes: over }).success).toBe(false);
  });

  it('restoring a version brings its lanes back, and a version from before lanes clears them', () => {
    const doc = room();
    ride(doc);
    const v1 = readMixState(doc);
    moveAutomationPoint(doc, { address: fader, id: 'r2', time: 80, value: 6 }, o);
    clearAutomationLane(doc, { address: fader }, o);
    addAutomationPoint(doc, { address: { kind: 'master', param: 'gain' }, time: 1, value: -3 }, o);
    expect(readMixState(doc)).not.toEqual(v1);
    applyMixState(doc, structuredClone(v1), o);
    expect(readMixState(doc)).toEqual(v1);
    // Stored as the server stores it (JSON), then read back: the same lanes.
    applyMixState(doc, JSON.parse(JSON.stringify(v1)) as MixState, o);
    expect(readMixState(doc)).toEqual(v1);
    // A snapshot saved before schema v4 has no `automation`: restoring it plays the static mix.
    const legacy = JSON.parse(JSON.stringify(v1)) as { tracks: Record<string, unknown>[]; buses: Record<string, unknown>[]; master: Record<string, unknown> };
    for (const s of [...legacy.tracks, ...legacy.buses, legacy.master]) delete s.automation;
    expect(diffMixStates(v1, legacy as unknown as MixState)).toEqual(['Lead Vocal fader: automation removed, -2 dB from 1:12 to 1:40']);
    applyMixState(doc, legacy as unknown as MixState, o);
    expect(readMixState(doc).tracks[0]!.automation).toEqual({});
  });

  it('finds the span exactly at breakpoints and through held segments', () => {
    const lane = (pts: [number, number, 'linear' | 'step'][]) => ({ points: pts.map(([time, value, curve], i) => ({ id: `p${i}`, time, value, curve })) });
    expect(compareLanes(undefined, 0, lane([[10, 0, 'step'], [20, 3, 'step'], [30, 0, 'step']]), 0)).toMatchObject({ start: 20, end: 30, up: 3, down: 0 });
    expect(compareLanes(lane([[10, 0, 'linear'], [20, -6, 'linear']]), 0, lane([[10, 0, 'linear'], [20, -3, 'linear']]), 0)).toMatchObject({ start: 10, end: Number.POSITIVE_INFINITY, up: 3 });
    expect(compareLanes(lane([[5, 1, 'linear']]), 0, lane([[5, 1, 'step']]), 0)).toBeNull();
    expect([formatSongTime(72), formatSongTime(100.9), formatSongTime(3723)]).toEqual(['1:12', '1:40', '1:02:03']);
  });
});
