import type { BusState, MixState, TrackState } from '../model/MixState.ts';

/** A small, complete MixState for review unit tests (independent of model defaults). */
export function fixtureTrack(id: string, name: string, order: number): TrackState {
  return {
    id, name, stem: null, color: '#e0a040', order, trim: 0, polarity: false, gain: 0, mute: false, solo: false, soloSafe: false, pan: 0, panLaw: 'balance',
    eq: {
      hpf: { on: false, freq: 80, q: 0.707 },
      lpf: { on: false, freq: 18000, q: 0.707 },
      bands: [
        { on: true, type: 'lowshelf', freq: 120, gain: 0, q: 0.7 },
        { on: true, type: 'peaking', freq: 500, gain: 0, q: 1 },
        { on: true, type: 'peaking', freq: 3200, gain: 0, q: 1 },
        { on: true, type: 'highshelf', freq: 10000, gain: 0, q: 0.7 },
      ],
    },
    comp: { on: false, threshold: -18, ratio: 4, attack: 0.01, release: 0.2, knee: 6, makeup: 0, sidechain: null },
    deess: { on: false, mode: 'split', freq: 6000, threshold: -30, range: 6 },
    sat: { on: false, drive: 0, mix: 1 },
    gate: { on: false, threshold: -40, range: -80, ratio: 100, attack: 0.0005, hold: 0.05, release: 0.15, hysteresis: 6, scHpf: 20, sidechain: null },
    sends: [],
    output: 'master',
    automation: {},
  };
}

export function fixtureBus(id: string, name: string): BusState {
  return {
    id, name, kind: 'aux', color: '#40a0e0', order: 0, gain: 0, mute: false, solo: false, soloSafe: true, pan: 0, panLaw: 'balance',
    effect: { type: 'reverb', decay: 1.8, preDelay: 0.02, damping: 6000 }, sends: [], output: 'master', automation: {},
  };
}

export function fixtureMix(): MixState {
  const vocal = fixtureTrack('t-vocal', 'Vocal', 0);
  vocal.sends = [{ bus: 'b-verb', level: -12, pre: false, on: true }];
  return {
    session: { title: 'Song', sampleRate: 48000, schemaVersion: 1, tempo: null },
    tracks: [vocal, fixtureTrack('t-bass', 'Bass', 1)],
    buses: [fixtureBus('b-verb', 'Plate')],
    master: {
      gain: 0,
      glue: { on: false, threshold: -10, ratio: 2, attack: 0.01, release: 0.1, knee: 3, makeup: 0 },
      limiter: { on: true, ceiling: -1, release: 0.05 },
      automation: {},
    },
  };
}
