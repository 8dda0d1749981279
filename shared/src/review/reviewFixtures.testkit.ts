import { defaultBus, defaultReverb } from '../model/BusRecord.ts';
import { defaultMaster } from '../model/MasterRecord.ts';
import type { BusState, MixState, TrackState } from '../model/MixState.ts';
import { defaultSend } from '../model/SendRecord.ts';
import { defaultTrack } from '../model/TrackRecord.ts';

/** Where the fixture's EQ bands differ from the default layout. */
const BANDS = [{ freq: 120, q: 0.7 }, { freq: 500 }, { freq: 3200 }, { freq: 10000, q: 0.7 }] as const;

/**
 * A small, complete MixState for review unit tests: the records' defaults (a new parameter
 * needs no edit here) with this fixture's own values where they differ.
 */
export function fixtureTrack(id: string, name: string, order: number): TrackState {
  const d = defaultTrack(id, name, null, order);
  const [b0, b1, b2, b3] = d.eq.bands;
  return {
    ...d,
    color: '#e0a040',
    eq: {
      hpf: { ...d.eq.hpf, q: 0.707 },
      lpf: { ...d.eq.lpf, q: 0.707 },
      bands: [{ ...b0, ...BANDS[0] }, { ...b1, ...BANDS[1] }, { ...b2, ...BANDS[2] }, { ...b3, ...BANDS[3] }],
    },
    sat: { ...d.sat, drive: 0 },
  };
}

export function fixtureBus(id: string, name: string): BusState {
  return { ...defaultBus(id, name, 'aux', 0), color: '#40a0e0', effect: { ...defaultReverb(), decay: 1.8, preDelay: 0.02, damping: 6000 } };
}

export function fixtureMix(): MixState {
  const vocal = fixtureTrack('t-vocal', 'Vocal', 0);
  vocal.sends = [{ ...defaultSend('b-verb'), level: -12 }];
  const master = defaultMaster();
  return {
    session: { title: 'Song', sampleRate: 48000, schemaVersion: 1, tempo: null },
    tracks: [vocal, fixtureTrack('t-bass', 'Bass', 1)],
    buses: [fixtureBus('b-verb', 'Plate')],
    master: { ...master, glue: { ...master.glue, release: 0.1, knee: 3 }, limiter: { ...master.limiter, on: true, ceiling: -1 } },
  };
}
