import {
  BUS_KINDS,
  EQ_BAND_TYPES,
  PAN_LAWS,
  type PanLaw,
  type BusEffectState,
  type BusState,
  type CompressorState,
  type EqBandState,
  type EqState,
  type MasterState,
  type MixState,
  type PassFilterState,
  type SendState,
  type SessionState,
  type StemRef,
  type TrackState,
} from './MixState.ts';
import {
  defaultBus,
  defaultCompressor,
  defaultDelay,
  defaultEq,
  defaultMaster,
  defaultReverb,
  defaultSaturation,
  defaultSession,
  defaultTrack,
} from './mixDefaults.ts';
import { isValidId } from './createId.ts';
import { COLOR_PATTERN, MAX_NAME_LENGTH, MAX_TITLE_LENGTH, MIX_RANGES, clampToRange, type NumberRange } from './mixRanges.ts';

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {};
}
function num(v: unknown, range: NumberRange, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? clampToRange(v, range) : fallback;
}
function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}
function str(v: unknown, fallback: string, maxLength = MAX_NAME_LENGTH): string {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, maxLength) : fallback;
}
function color(v: unknown, fallback: string): string {
  return typeof v === 'string' && COLOR_PATTERN.test(v) ? v : fallback;
}
function order(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
function idOrNull(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** Sort by (order, id); ids compare by code unit so every peer and locale agrees. */
export function compareByOrder(a: { order: number; id: string }, b: { order: number; id: string }): number {
  if (a.order !== b.order) return a.order - b.order;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function stem(v: unknown): StemRef | null {
  const s = obj(v);
  if (typeof s.key !== 'string' || s.key.length === 0) return null;
  const int = (x: unknown, fallback: number) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.floor(x) : fallback);
  return {
    key: s.key,
    fileName: typeof s.fileName === 'string' ? s.fileName.slice(0, 255) : '',
    sampleRate: int(s.sampleRate, 48000) || 48000,
    channels: int(s.channels, 1) || 1,
    frames: int(s.frames, 0),
  };
}

function passFilter(v: unknown, d: PassFilterState): PassFilterState {
  const r = obj(v);
  return { on: bool(r.on, d.on), freq: num(r.freq, MIX_RANGES.filterFreq, d.freq), q: num(r.q, MIX_RANGES.filterQ, d.q) };
}

function band(v: unknown, d: EqBandState): EqBandState {
  const r = obj(v);
  const type = (EQ_BAND_TYPES as readonly unknown[]).includes(r.type) ? (r.type as EqBandState['type']) : d.type;
  return {
    on: bool(r.on, d.on),
    type,
    freq: num(r.freq, MIX_RANGES.eqFreq, d.freq),
    gain: num(r.gain, MIX_RANGES.eqGain, d.gain),
    q: num(r.q, MIX_RANGES.eqQ, d.q),
  };
}

function eq(v: unknown): EqState {
  const r = obj(v);
  const d = defaultEq();
  const bands = obj(r.bands);
  return {
    hpf: passFilter(r.hpf, d.hpf),
    lpf: passFilter(r.lpf, d.lpf),
    bands: [band(bands['0'], d.bands[0]), band(bands['1'], d.bands[1]), band(bands['2'], d.bands[2]), band(bands['3'], d.bands[3])],
  };
}

function comp(v: unknown): CompressorState {
  const r = obj(v);
  const d = defaultCompressor();
  return {
    on: bool(r.on, d.on),
    threshold: num(r.threshold, MIX_RANGES.compThreshold, d.threshold),
    ratio: num(r.ratio, MIX_RANGES.compRatio, d.ratio),
    attack: num(r.attack, MIX_RANGES.compAttack, d.attack),
    release: num(r.release, MIX_RANGES.compRelease, d.release),
    knee: num(r.knee, MIX_RANGES.compKnee, d.knee),
    makeup: num(r.makeup, MIX_RANGES.compMakeup, d.makeup),
    sidechain: idOrNull(r.sidechain),
  };
}

/** Sends stored as a map keyed by bus id; output sorted by bus id. */
function sends(v: unknown): SendState[] {
  const r = obj(v);
  return Object.keys(r)
    .filter((bus) => bus.length > 0)
    .sort()
    .map((bus) => {
      const s = obj(r[bus]);
      return {
        bus,
        level: num(s.level, MIX_RANGES.sendLevel, 0),
        pre: bool(s.pre, false),
        on: bool(s.on, true),
      };
    });
}

/** A strip without a law was made before schema v3: it keeps the law it was mixed with. */
function panLaw(v: unknown): PanLaw {
  return (PAN_LAWS as readonly unknown[]).includes(v) ? (v as PanLaw) : 'webaudio';
}

function output(v: unknown): string {
  return typeof v === 'string' && v.length > 0 ? v : 'master';
}

function track(id: string, v: unknown): TrackState {
  const r = obj(v);
  const o = order(r.order);
  const d = defaultTrack(id, 'Track', null, o);
  const sat = obj(r.sat);
  const ds = defaultSaturation();
  return {
    id,
    name: str(r.name, d.name),
    stem: stem(r.stem),
    color: color(r.color, d.color),
    order: o,
    trim: num(r.trim, MIX_RANGES.trim, d.trim),
    polarity: bool(r.polarity, d.polarity),
    gain: num(r.gain, MIX_RANGES.fader, d.gain),
    mute: bool(r.mute, d.mute),
    solo: bool(r.solo, d.solo),
    soloSafe: bool(r.soloSafe, d.soloSafe),
    pan: num(r.pan, MIX_RANGES.pan, d.pan),
    panLaw: panLaw(r.panLaw),
    eq: eq(r.eq),
    comp: comp(r.comp),
    sat: {
      on: bool(sat.on, ds.on),
      drive: num(sat.drive, MIX_RANGES.satDrive, ds.drive),
      mix: num(sat.mix, MIX_RANGES.satMix, ds.mix),
    },
    sends: sends(r.sends),
    output: output(r.output),
  };
}

function effect(v: unknown): BusEffectState {
  const r = obj(v);
  if (r.type === 'delay') {
    const d = defaultDelay();
    return {
      type: 'delay',
      time: num(r.time, MIX_RANGES.delayTime, d.time),
      feedback: num(r.feedback, MIX_RANGES.delayFeedback, d.feedback),
      damping: num(r.damping, MIX_RANGES.effectDamping, d.damping),
    };
  }
  // An aux return always has an effect: a missing or unknown one reads as the default reverb.
  const d = defaultReverb();
  return {
    type: 'reverb',
    decay: num(r.decay, MIX_RANGES.reverbDecay, d.decay),
    preDelay: num(r.preDelay, MIX_RANGES.reverbPreDelay, d.preDelay),
    damping: num(r.damping, MIX_RANGES.effectDamping, d.damping),
  };
}

function bus(id: string, v: unknown): BusState {
  const r = obj(v);
  const kind = (BUS_KINDS as readonly unknown[]).includes(r.kind) ? (r.kind as BusState['kind']) : 'group';
  const o = order(r.order);
  const d = defaultBus(id, kind === 'aux' ? 'Aux' : 'Group', kind, o);
  return {
    id,
    name: str(r.name, d.name),
    kind,
    color: color(r.color, d.color),
    order: o,
    gain: num(r.gain, MIX_RANGES.fader, d.gain),
    mute: bool(r.mute, d.mute),
    solo: bool(r.solo, d.solo),
    soloSafe: bool(r.soloSafe, d.soloSafe),
    pan: num(r.pan, MIX_RANGES.pan, d.pan),
    panLaw: panLaw(r.panLaw),
    effect: kind === 'aux' ? effect(r.effect) : null,
    sends: sends(r.sends),
    output: output(r.output),
  };
}

function master(v: unknown): MasterState {
  const r = obj(v);
  const d = defaultMaster();
  const g = obj(r.glue);
  const l = obj(r.limiter);
  return {
    gain: num(r.gain, MIX_RANGES.fader, d.gain),
    glue: {
      on: bool(g.on, d.glue.on),
      threshold: num(g.threshold, MIX_RANGES.glueThreshold, d.glue.threshold),
      ratio: num(g.ratio, MIX_RANGES.glueRatio, d.glue.ratio),
      attack: num(g.attack, MIX_RANGES.glueAttack, d.glue.attack),
      release: num(g.release, MIX_RANGES.glueRelease, d.glue.release),
      knee: num(g.knee, MIX_RANGES.glueKnee, d.glue.knee),
      makeup: num(g.makeup, MIX_RANGES.glueMakeup, d.glue.makeup),
    },
    limiter: {
      on: bool(l.on, d.limiter.on),
      ceiling: num(l.ceiling, MIX_RANGES.limiterCeiling, d.limiter.ceiling),
      release: num(l.release, MIX_RANGES.limiterRelease, d.limiter.release),
    },
  };
}

function session(v: unknown): SessionState {
  const r = obj(v);
  const d = defaultSession('Untitled mix', 48000);
  return {
    title: str(r.title, d.title, MAX_TITLE_LENGTH),
    sampleRate: Math.round(num(r.sampleRate, MIX_RANGES.sampleRate, d.sampleRate)),
    schemaVersion: typeof r.schemaVersion === 'number' && Number.isInteger(r.schemaVersion) ? r.schemaVersion : d.schemaVersion,
    tempo: typeof r.tempo === 'number' && Number.isFinite(r.tempo) ? clampToRange(r.tempo, MIX_RANGES.tempo) : null,
  };
}

/**
 * Reads the JSON of the root map (`getMixRoot(doc).toJSON()`) into a well-typed MixState:
 * missing or malformed values read as their defaults, numbers are clamped to their ranges,
 * tracks and buses are sorted by (order, id), sends by bus id; entries with an invalid id
 * (see isValidId) are skipped, as is a bus reusing a track's id. References between objects
 * (outputs, sends, sidechains) are NOT checked here: repairMixState does that.
 */
export function sanitizeMixState(rootJson: unknown): MixState {
  const root = obj(rootJson);
  const tracks = obj(root.tracks);
  const buses = obj(root.buses);
  const isStrip = (entries: Raw, id: string) => isValidId(id) && typeof entries[id] === 'object' && entries[id] !== null;
  return {
    session: session(root.session),
    tracks: Object.keys(tracks)
      .filter((id) => isStrip(tracks, id))
      .map((id) => track(id, tracks[id]))
      .sort(compareByOrder),
    buses: Object.keys(buses)
      // A bus whose id collides with a track's is unreachable: ids must be unique across both.
      .filter((id) => isStrip(buses, id) && !Object.hasOwn(tracks, id))
      .map((id) => bus(id, buses[id]))
      .sort(compareByOrder),
    master: master(root.master),
  };
}
