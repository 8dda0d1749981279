import { defaultBus, defaultReverb } from '../../model/BusRecord.ts';
import { defaultMaster } from '../../model/MasterRecord.ts';
import type { BusState, MixState, StemRef, TrackState } from '../../model/MixState.ts';
import { defaultTrack } from '../../model/TrackRecord.ts';

/**
 * Builders of neutral mix states for tests (plan, engine, parity): every processor off,
 * unity levels, centred pans. They spread the records' defaults (a new parameter needs no
 * edit here) and set only where the tests' reference renders differ from them. Override
 * what a test is about.
 */
export const testMix = {
  track(id: string, over: Partial<TrackState> = {}): TrackState {
    const d = defaultTrack(id, id, testMix.stem(id, 1, 48000), 0);
    const band = (freq: number) => ({ ...d.eq.bands[1]!, on: false, type: 'peaking' as const, freq, q: 1 });
    return {
      ...d,
      color: '#888888',
      eq: {
        hpf: { ...d.eq.hpf, freq: 30, q: Math.SQRT1_2 },
        lpf: { ...d.eq.lpf, q: Math.SQRT1_2 },
        bands: [band(100), band(500), band(2000), band(8000)],
      },
      comp: { ...d.comp, threshold: -20, release: 0.1 },
      sat: { ...d.sat, drive: 0 },
      ...over,
    };
  },

  stem(key: string, channels: number, frames: number, sampleRate = 48000): StemRef {
    return { key, fileName: `${key}.wav`, sampleRate, channels, frames };
  },

  bus(id: string, kind: 'aux' | 'group', over: Partial<BusState> = {}): BusState {
    const effect = kind === 'aux' ? { ...defaultReverb(), decay: 1.5, preDelay: 0.01 } : null;
    return { ...defaultBus(id, id, kind, 0), color: '#444444', effect, ...over };
  },

  state(tracks: TrackState[], buses: BusState[] = [], over: Partial<MixState> = {}): MixState {
    const master = defaultMaster();
    return {
      session: { title: 'test', sampleRate: 48000, schemaVersion: 1, tempo: null },
      tracks,
      buses,
      master: { ...master, glue: { ...master.glue, release: 0.2 } },
      ...over,
    };
  },
};
