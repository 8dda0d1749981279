import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { addTrack } from './addTrack.ts';
import { MixOpError } from './MixOpError.ts';
import { setTrackParam } from './setTrackParam.ts';
import { TRACK_PARAMS, type TrackParam } from './TRACK_PARAMS.ts';

const origin = createOrigin('local-user', 'u1');

function setup() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000 });
  const id = addTrack(doc, { name: 'Vox', stem: null }, origin);
  return { doc, id };
}

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof MixOpError ? e.code : 'other';
  }
  return 'none';
}

describe('setTrackParam', () => {
  it('writes every strip parameter at its documented path', () => {
    const { doc, id } = setup();
    setTrackParam(doc, { trackId: id, param: 'gain', value: -6 }, origin);
    setTrackParam(doc, { trackId: id, param: 'pan', value: -0.5 }, origin);
    setTrackParam(doc, { trackId: id, param: 'polarity', value: true }, origin);
    setTrackParam(doc, { trackId: id, param: 'eq.bands.2.freq', value: 3200 }, origin);
    setTrackParam(doc, { trackId: id, param: 'eq.bands.0.type', value: 'notch' }, origin);
    setTrackParam(doc, { trackId: id, param: 'eq.hpf.on', value: true }, origin);
    setTrackParam(doc, { trackId: id, param: 'comp.ratio', value: 8 }, origin);
    setTrackParam(doc, { trackId: id, param: 'sat.mix', value: 0.25 }, origin);
    const t = readMixState(doc).tracks[0]!;
    expect([t.gain, t.pan, t.polarity, t.eq.bands[2].freq, t.eq.bands[0].type, t.eq.hpf.on, t.comp.ratio, t.sat.mix]).toEqual([
      -6, -0.5, true, 3200, 'notch', true, 8, 0.25,
    ]);
  });

  it('clamps every numeric parameter to its range', () => {
    const { doc, id } = setup();
    for (const [param, spec] of Object.entries(TRACK_PARAMS)) {
      if (spec.kind !== 'number') continue;
      setTrackParam(doc, { trackId: id, param: param as TrackParam, value: 1e9 as never }, origin);
      const path = param.split('.');
      let v: unknown = readMixState(doc).tracks[0];
      for (const k of path) v = (v as Record<string, unknown>)[k];
      expect([param, v]).toEqual([param, spec.range.max]);
      setTrackParam(doc, { trackId: id, param: param as TrackParam, value: -1e9 as never }, origin);
      v = readMixState(doc).tracks[0];
      for (const k of path) v = (v as Record<string, unknown>)[k];
      expect([param, v]).toEqual([param, spec.range.min]);
    }
  });

  it('refuses NaN, Infinity, wrong types, unknown params and tracks without writing', () => {
    const { doc, id } = setup();
    const before = Y.encodeStateAsUpdate(doc);
    expect(errorCode(() => setTrackParam(doc, { trackId: id, param: 'gain', value: Number.NaN }, origin))).toBe('not-finite');
    expect(errorCode(() => setTrackParam(doc, { trackId: id, param: 'gain', value: Infinity }, origin))).toBe('not-finite');
    expect(errorCode(() => setTrackParam(doc, { trackId: id, param: 'gain', value: '3' as never }, origin))).toBe('wrong-type');
    expect(errorCode(() => setTrackParam(doc, { trackId: id, param: 'mute', value: 1 as never }, origin))).toBe('wrong-type');
    expect(errorCode(() => setTrackParam(doc, { trackId: id, param: 'eq.bands.1.type', value: 'lowpass' as never }, origin))).toBe('invalid-value');
    expect(errorCode(() => setTrackParam(doc, { trackId: id, param: 'panLaw', value: 'linear' as never }, origin))).toBe('invalid-value');
    expect(errorCode(() => setTrackParam(doc, { trackId: id, param: 'eq.bands.4.gain' as never, value: 1 as never }, origin))).toBe('unknown-param');
    expect(errorCode(() => setTrackParam(doc, { trackId: 'nope', param: 'gain', value: 1 }, origin))).toBe('unknown-track');
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('does not rewrite an unchanged value', () => {
    const { doc, id } = setup();
    setTrackParam(doc, { trackId: id, param: 'gain', value: -3 }, origin);
    const sv = Y.encodeStateVector(doc);
    setTrackParam(doc, { trackId: id, param: 'gain', value: -3 }, origin);
    expect(Y.encodeStateVector(doc)).toEqual(sv);
  });

  it('merges concurrent edits of different parameters of one track', () => {
    const { doc: a, id } = setup();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setTrackParam(a, { trackId: id, param: 'eq.bands.1.gain', value: 3 }, origin);
    setTrackParam(b, { trackId: id, param: 'eq.bands.1.freq', value: 900 }, origin);
    setTrackParam(b, { trackId: id, param: 'comp.on', value: true }, origin);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const ta = readMixState(a).tracks[0]!;
    expect([ta.eq.bands[1].gain, ta.eq.bands[1].freq, ta.comp.on]).toEqual([3, 900, true]);
    expect(readMixState(b)).toEqual(readMixState(a));
  });
});
