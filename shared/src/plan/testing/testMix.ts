import type { BusState, MixState, StemRef, TrackState } from '../../model/MixState.ts';

/**
 * Builders of neutral mix states for tests (plan, engine, parity): every processor off,
 * unity levels, centred pans. Override what a test is about.
 */
export const testMix = {
  track(id: string, over: Partial<TrackState> = {}): TrackState {
    const band = (freq: number) => ({ on: false, type: 'peaking' as const, freq, gain: 0, q: 1 });
    return {
      id,
      name: id,
      stem: testMix.stem(id, 1, 48000),
      color: '#888888',
      order: 0,
      trim: 0,
      polarity: false,
      gain: 0,
      mute: false,
      solo: false,
      soloSafe: false,
      pan: 0,
      panLaw: 'balance',
      eq: {
        hpf: { on: false, freq: 30, q: Math.SQRT1_2 },
        lpf: { on: false, freq: 18000, q: Math.SQRT1_2 },
        bands: [band(100), band(500), band(2000), band(8000)],
      },
      comp: { on: false, threshold: -20, ratio: 4, attack: 0.01, release: 0.1, knee: 6, makeup: 0, sidechain: null },
      deess: { on: false, mode: 'split', freq: 6000, threshold: -30, range: 6 },
      sat: { on: false, drive: 0, mix: 1 },
      gate: { on: false, threshold: -40, range: -80, ratio: 100, attack: 0.0005, hold: 0.05, release: 0.15, hysteresis: 6, scHpf: 20, sidechain: null },
      sends: [],
      output: 'master',
      automation: {},
      ...over,
    };
  },

  stem(key: string, channels: number, frames: number, sampleRate = 48000): StemRef {
    return { key, fileName: `${key}.wav`, sampleRate, channels, frames };
  },

  bus(id: string, kind: 'aux' | 'group', over: Partial<BusState> = {}): BusState {
    return {
      id,
      name: id,
      kind,
      color: '#444444',
      order: 0,
      gain: 0,
      mute: false,
      solo: false,
      soloSafe: kind === 'aux',
      pan: 0,
      panLaw: 'balance',
      effect: kind === 'aux' ? { type: 'reverb', decay: 1.5, preDelay: 0.01, damping: 8000 } : null,
      sends: [],
      output: 'master',
      automation: {},
      ...over,
    };
  },

  state(tracks: TrackState[], buses: BusState[] = [], over: Partial<MixState> = {}): MixState {
    return {
      session: { title: 'test', sampleRate: 48000, schemaVersion: 1, tempo: null },
      tracks,
      buses,
      master: {
        gain: 0,
        glue: { on: false, threshold: -10, ratio: 2, attack: 0.01, release: 0.2, knee: 6, makeup: 0 },
        limiter: { on: false, ceiling: -1, release: 0.05 },
        automation: {},
      },
      ...over,
    };
  },
};
