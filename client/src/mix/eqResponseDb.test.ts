import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { initMixDoc, readMixState, type TrackState } from '@mixroom/shared/model';
import { addTrack, setParam, type TrackParam } from '@mixroom/shared/ops';
import { eqResponseDb } from './eqResponseDb.ts';
import { createOrigin } from '@mixroom/shared/protocol';

/** Whoever builds the test's mix (no UndoManager tracks it). */
const setup = createOrigin('server', 'test-setup');

function track(params: Partial<Record<TrackParam, number | boolean | string>>): TrackState {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000 });
  const id = addTrack(doc, { name: 'T', stem: null }, setup);
  for (const [param, value] of Object.entries(params)) setParam(doc, { kind: 'track', trackId: id, param: param as TrackParam }, value, setup);
  return readMixState(doc).tracks[0]!;
}

const at = (freqs: number[]) => Float32Array.from(freqs);

describe('eqResponseDb', () => {
  it('is flat for a neutral strip', () => {
    const db = eqResponseDb(track({}), 48000, at([30, 100, 1000, 10000, 19000]));
    for (const v of db) expect(Math.abs(v)).toBeLessThan(1e-9);
  });

  it('peaks by the band gain at the band frequency, and barely elsewhere', () => {
    const db = eqResponseDb(track({ 'eq.bands.1.on': true, 'eq.bands.1.type': 'peaking', 'eq.bands.1.freq': 1000, 'eq.bands.1.gain': 6, 'eq.bands.1.q': 2 }), 48000, at([1000, 50, 15000]));
    expect(db[0]).toBeCloseTo(6, 3);
    expect(Math.abs(db[1]!)).toBeLessThan(0.1);
    expect(Math.abs(db[2]!)).toBeLessThan(0.1);
  });

  it('puts a Butterworth high-pass 3 dB down at its corner', () => {
    const db = eqResponseDb(track({ 'eq.hpf.on': true, 'eq.hpf.freq': 100, 'eq.hpf.q': Math.SQRT1_2 }), 48000, at([100, 25, 2000]));
    expect(db[0]).toBeCloseTo(-3.01, 1);
    expect(db[1]).toBeLessThan(-23); // two octaves below: about -24 dB (12 dB/octave)
    expect(Math.abs(db[2]!)).toBeLessThan(0.05);
  });

  it('adds the bands in dB (a cut and a boost at the same frequency cancel)', () => {
    const db = eqResponseDb(
      track({
        'eq.bands.0.on': true, 'eq.bands.0.type': 'peaking', 'eq.bands.0.freq': 500, 'eq.bands.0.gain': 4, 'eq.bands.0.q': 1,
        'eq.bands.2.on': true, 'eq.bands.2.type': 'peaking', 'eq.bands.2.freq': 500, 'eq.bands.2.gain': -4, 'eq.bands.2.q': 1,
      }),
      48000,
      at([200, 500, 1200]),
    );
    for (const v of db) expect(Math.abs(v)).toBeLessThan(1e-6);
  });
});
