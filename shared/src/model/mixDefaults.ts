import type {
  BusKind,
  BusState,
  CompressorState,
  DelayState,
  EqBandState,
  EqState,
  Id,
  MasterState,
  ReverbState,
  SaturationState,
  SendState,
  SessionState,
  StemRef,
  TrackState,
} from './MixState.ts';
import { CURRENT_SCHEMA_VERSION } from './schemaVersion.ts';

/**
 * Neutral defaults: unity gain, flat EQ, dynamics and saturation off, pan centre. A new
 * strip must sound exactly like its stem. Functions return fresh objects so callers may
 * mutate them.
 */

/** Colors handed out to new tracks and buses in turn. */
export const STRIP_COLORS = [
  '#e5484d',
  '#f76b15',
  '#ffc53d',
  '#46a758',
  '#12a594',
  '#0090ff',
  '#6e56cf',
  '#d6409f',
] as const;

/** Default 4-band layout: low shelf, two peaks, high shelf, all at 0 dB (flat). */
export const DEFAULT_EQ_BANDS = [
  { on: true, type: 'lowshelf', freq: 100, gain: 0, q: 0.7071 },
  { on: true, type: 'peaking', freq: 400, gain: 0, q: 1 },
  { on: true, type: 'peaking', freq: 2500, gain: 0, q: 1 },
  { on: true, type: 'highshelf', freq: 8000, gain: 0, q: 0.7071 },
] as const satisfies readonly EqBandState[];

/** Flat EQ: filters off, four bands at 0 dB. */
export function defaultEq(): EqState {
  const band = (i: 0 | 1 | 2 | 3): EqBandState => ({ ...DEFAULT_EQ_BANDS[i] });
  return {
    hpf: { on: false, freq: 80, q: 0.7071 },
    lpf: { on: false, freq: 18000, q: 0.7071 },
    bands: [band(0), band(1), band(2), band(3)],
  };
}

/** Compressor off, self-keyed, no makeup. */
export function defaultCompressor(): CompressorState {
  return { on: false, threshold: -18, ratio: 4, attack: 0.01, release: 0.2, knee: 6, makeup: 0, sidechain: null };
}

/** Saturation off. */
export function defaultSaturation(): SaturationState {
  return { on: false, drive: 6, mix: 1 };
}

/** A send at unity, post-fader, on. */
export function defaultSend(bus: Id): SendState {
  return { bus, level: 0, pre: false, on: true };
}

/** The default aux reverb: 2 s decay, 20 ms pre-delay. */
export function defaultReverb(): ReverbState {
  return { type: 'reverb', decay: 2, preDelay: 0.02, damping: 8000 };
}

/** The default aux delay: 375 ms (an eighth note at 80 BPM), 35% feedback. */
export function defaultDelay(): DelayState {
  return { type: 'delay', time: 0.375, feedback: 0.35, damping: 6000 };
}

/** A new session at the current schema version, no tempo. */
export function defaultSession(title: string, sampleRate: number): SessionState {
  return { title, sampleRate, schemaVersion: CURRENT_SCHEMA_VERSION, tempo: null };
}

/** A neutral track routed to master; its color follows its order. */
export function defaultTrack(id: Id, name: string, stem: StemRef | null, order: number): TrackState {
  return {
    id,
    name,
    stem,
    color: STRIP_COLORS[Math.abs(Math.trunc(order)) % STRIP_COLORS.length] ?? STRIP_COLORS[0],
    order,
    trim: 0,
    polarity: false,
    gain: 0,
    mute: false,
    solo: false,
    soloSafe: false,
    pan: 0,
    panLaw: 'balance',
    eq: defaultEq(),
    comp: defaultCompressor(),
    sat: defaultSaturation(),
    sends: [],
    output: 'master',
  };
}

/** A neutral bus; aux returns get a reverb and are solo-safe, groups get no effect. */
export function defaultBus(id: Id, name: string, kind: BusKind, order: number): BusState {
  return {
    id,
    name,
    kind,
    color: STRIP_COLORS[(Math.abs(Math.trunc(order)) + 4) % STRIP_COLORS.length] ?? STRIP_COLORS[0],
    order,
    gain: 0,
    mute: false,
    solo: false,
    // Aux returns are solo-safe so soloing a vocal keeps its reverb.
    soloSafe: kind === 'aux',
    pan: 0,
    panLaw: 'balance',
    effect: kind === 'aux' ? defaultReverb() : null,
    sends: [],
    output: 'master',
  };
}

/** Master at unity, glue compressor and limiter off. */
export function defaultMaster(): MasterState {
  return {
    gain: 0,
    glue: { on: false, threshold: -10, ratio: 2, attack: 0.01, release: 0.3, knee: 6, makeup: 0 },
    limiter: { on: false, ceiling: -1, release: 0.05 },
  };
}
