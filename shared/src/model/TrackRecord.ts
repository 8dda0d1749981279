import type { DocShape } from './DocShape.ts';
import type * as Y from 'yjs';
import type { AutomationLanes } from './AutomationLane.ts';
import { automationToDocShape, checkAutomation, sanitizeAutomation, type LaneContext } from './AutomationRecord.ts';
import { compressorSpec } from './CompressorSpec.ts';
import { DEESSER_SPEC } from './DeesserSpec.ts';
import { addParamsSince, checkParams, flattenParams, paramDefaults, paramSinceVersions, paramsToDocShape, sanitizeParams, splitDocShape, withAddedParams } from './ParamTable.ts';
import { bool, num, oneOf, section, tuple, type ValueOf, type ValuesOf } from './ParamSpec.ts';
import type { FieldChecks, RawRecord } from './checkFields.ts';
import { checkSends, sanitizeSends, sendsToDocShape, type SendState } from './SendRecord.ts';
import * as strip from './StripRecord.ts';
import type { Id, OutputTarget } from './units.ts';

/** Reference to a stem object stored in S3 and its decoded properties. */
export interface StemRef {
  /** Server-generated object key (room id + content hash). */
  key: string;
  /** The uploaded file's name: metadata only, never part of a path. */
  fileName: string;
  sampleRate: number;
  channels: number;
  /** Length in sample frames at `sampleRate`. */
  frames: number;
}

export const EQ_BAND_TYPES = ['peaking', 'lowshelf', 'highshelf', 'notch', 'bandpass'] as const;
export type EqBandType = (typeof EQ_BAND_TYPES)[number];

const Q_BUTTERWORTH = 0.7071;

/** 12 dB/octave high- or low-pass (one spec biquad). */
const passFilter = (freq: number) => section({ on: bool(false), freq: num('Hz', 20, 20000, freq, { law: 'log' }), q: num('ratio', 0.1, 10, Q_BUTTERWORTH, { law: 'log' }) });

/** One parametric band; `gain` is ignored by notch and bandpass, as in the Web Audio spec. */
const band = (type: EqBandType, freq: number, q: number) =>
  section({
    on: bool(true),
    type: oneOf(EQ_BAND_TYPES, type),
    freq: num('Hz', 20, 20000, freq, { law: 'log' }),
    gain: num('dB', -24, 24, 0),
    q: num('ratio', 0.1, 18, q, { law: 'log' }),
  });

/**
 * Every parameter of a track strip, in storage order: the path into the track's Y.Map is
 * the parameter's name ('eq.bands.2.freq' is tracks[id].eq.bands['2'].freq). Defaults are
 * neutral: a new track sounds exactly like its stem. Routing (output, sends, sidechain)
 * and identity are not parameters: they name other objects.
 */
export const TRACK_SPEC = {
  /** Input trim before the strip. */
  trim: num('dB', -24, 24, 0),
  /** True inverts polarity. */
  polarity: bool(false),
  ...strip.STRIP_FADER_SPEC,
  /** Filters off; four bands at 0 dB: low shelf, two peaks, high shelf. */
  eq: section({
    hpf: passFilter(80),
    lpf: passFilter(18000),
    bands: tuple('bands', [band('lowshelf', 100, Q_BUTTERWORTH), band('peaking', 400, 1), band('peaking', 2500, 1), band('highshelf', 8000, Q_BUTTERWORTH)]),
  }),
  /** Compressor, off and self-keyed by default. */
  comp: compressorSpec({ threshold: [-60, 0, -18], ratio: [1, 20, 4], attack: [0.0001, 1, 0.01], release: [0.01, 3, 0.2], knee: [0, 24, 6], makeup: [0, 24, 0] }),
  /** De-esser (schema 6), after the compressor. */
  deess: DEESSER_SPEC,
  sat: section({
    on: bool(false),
    /** Input drive into the waveshaper. */
    drive: num('dB', 0, 36, 6),
    /** Dry/wet blend, 0 = dry, 1 = fully saturated. */
    mix: num('ratio', 0, 1, 1),
  }),
  /**
   * Gate / downward expander (shared/dsp/gate.ts), after the filters and before the EQ;
   * off and self-keyed by default, so strips stored before schema 5 sound unchanged.
   */
  gate: section(
    {
      on: bool(false),
      /** The gate opens when the key's peak reaches this level. */
      threshold: num('dB', -80, 0, -40),
      /** Attenuation while closed (the floor): -100 is about silence, 0 does nothing. */
      range: num('dB', -100, 0, -80),
      /**
       * Downward expansion 1:ratio below the threshold, down to the range: 1 does nothing,
       * 2 is a gentle expander, 100 (the maximum) a hard gate.
       */
      ratio: num('ratio', 1, 100, 100, { law: 'log' }),
      /** Time constant of opening (the gain in dB reaches 63.2 % of the way in τ). */
      attack: num('s', 0.0001, 0.1, 0.0005, { law: 'log' }),
      /** Time the gate stays open after the key falls below the close threshold. */
      hold: num('s', 0, 2, 0.05),
      /** Time constant of closing. */
      release: num('s', 0.005, 4, 0.15, { law: 'log' }),
      /** The gate closes only below threshold - hysteresis: no chatter on a level that hovers. */
      hysteresis: num('dB', 0, 24, 6),
      /** High-pass on the key (12 dB/oct): kick bleed does not open a snare gate. */
      scHpf: num('Hz', 20, 2000, 20, { law: 'log' }),
    },
    { since: 5 },
  ),
} as const;

type TrackParams = ValuesOf<typeof TRACK_SPEC>;
export type EqState = TrackParams['eq'];
export type EqBandState = EqState['bands'][number];
export type PassFilterState = EqState['hpf'];
export type SaturationState = TrackParams['sat'];
/** What a gate kernel is set with: the gate section without its switch. */
export type GateSettings = Omit<ValueOf<(typeof TRACK_SPEC)['gate']>, 'on'>;

export interface GateState extends ValueOf<(typeof TRACK_SPEC)['gate']> {
  /** Track whose signal opens the gate (the snare's top mic keying its bottom mic); null = self. */
  sidechain: Id | null;
}
export type DeesserState = TrackParams['deess'];

export interface CompressorState extends ValueOf<(typeof TRACK_SPEC)['comp']> {
  /** Track whose signal drives the detector (e.g. the kick ducking the bass); null = self. */
  sidechain: Id | null;
}

export interface TrackState extends strip.StripIdentity, Omit<TrackParams, 'comp' | 'gate'> {
  stem: StemRef | null;
  comp: CompressorState;
  gate: GateState;
  /** Sorted by bus id. At most one send per bus. */
  sends: SendState[];
  output: OutputTarget;
  /** Lanes by param path ('gain', 'sends.<busId>.level', 'eq.bands.2.gain'); a param without one stays put. */
  automation: AutomationLanes;
}

const TRACK_FLAT = flattenParams(TRACK_SPEC);

/** What a track's lanes are read and checked against (send lanes only for its sends). */
function trackLanes(sendBuses: Iterable<unknown>): LaneContext {
  return { scope: 'track', params: TRACK_FLAT, sendBuses: new Set([...sendBuses].filter((b): b is string => typeof b === 'string')) };
}

/** The default 4-band layout (flat). */
export const DEFAULT_EQ_BANDS: readonly EqBandState[] = paramDefaults(TRACK_SPEC).eq.bands;

/** Flat EQ: filters off, four bands at 0 dB. */
export function defaultEq(): EqState {
  return paramDefaults(TRACK_SPEC.eq.params);
}

/** Compressor off, self-keyed, no makeup. */
export function defaultCompressor(): CompressorState {
  return { ...paramDefaults(TRACK_SPEC.comp.params), sidechain: null };
}

/** Saturation off. */
export function defaultSaturation(): SaturationState {
  return paramDefaults(TRACK_SPEC.sat.params);
}

/** De-esser off. */
export function defaultDeesser(): DeesserState {
  return paramDefaults(TRACK_SPEC.deess.params);
}

/** Gate off, self-keyed. */
export function defaultGate(): GateState {
  return { ...paramDefaults(TRACK_SPEC.gate.params), sidechain: null };
}

/** A neutral track routed to master; its color follows its order. */
export function defaultTrack(id: Id, name: string, stem: StemRef | null, order: number): TrackState {
  const params = paramDefaults(TRACK_SPEC);
  return {
    id,
    name,
    stem,
    color: strip.stripColor(order),
    order,
    ...params,
    comp: { ...params.comp, sidechain: null },
    gate: { ...params.gate, sidechain: null },
    sends: [],
    output: 'master',
    automation: {},
  };
}

/**
 * A track of a snapshot saved before some of its parameters existed, with them filled in
 * (model/withAddedParams.ts); a gate added that way listens to its own track.
 */
export function withAddedTrackParams(t: TrackState): TrackState {
  const filled = withAddedParams(TRACK_SPEC, t);
  if (filled.gate.sidechain !== undefined) return filled;
  return { ...filled, gate: { ...filled.gate, sidechain: null } };
}

/** A track as stored: see mixDocShape.ts for the layout. */
export function trackToDocShape(t: TrackState): DocShape {
  const { leaves, sections } = splitDocShape(paramsToDocShape(TRACK_SPEC, t as unknown as RawRecord));
  return {
    id: t.id,
    name: t.name,
    stem: t.stem ? { ...t.stem } : null,
    color: t.color,
    order: t.order,
    ...leaves,
    output: t.output,
    ...sections,
    comp: { ...(sections.comp as RawRecord), sidechain: t.comp.sidechain },
    gate: { ...(sections.gate as RawRecord), sidechain: t.gate.sidechain },
    sends: sendsToDocShape(t.sends),
    automation: automationToDocShape(t.automation),
  };
}

function sanitizeStem(v: unknown): StemRef | null {
  const s = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawRecord) : {};
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

/** A stored track read back: malformed values read as their defaults, numbers clamped. */
export function sanitizeTrack(id: Id, v: unknown): TrackState {
  const r = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawRecord) : {};
  const identity = strip.sanitizeIdentity(id, r, (order) => ({ name: 'Track', color: strip.stripColor(order) }));
  const d = defaultTrack(id, identity.name, null, identity.order);
  const params = sanitizeParams(TRACK_SPEC, r, d);
  const keyOf = (section: unknown): Id | null => {
    const sc = typeof section === 'object' && section !== null ? (section as RawRecord).sidechain : null;
    return typeof sc === 'string' && sc.length > 0 ? sc : null;
  };
  const sends = sanitizeSends(r.sends);
  return {
    id,
    name: identity.name,
    stem: sanitizeStem(r.stem),
    color: identity.color,
    order: identity.order,
    ...params,
    comp: { ...params.comp, sidechain: keyOf(r.comp) },
    gate: { ...params.gate, sidechain: keyOf(r.gate) },
    sends,
    output: strip.sanitizeOutput(r.output),
    automation: sanitizeAutomation(r.automation, trackLanes(sends.map((s) => s.bus))),
  };
}

/** Checks one track of a MixState; `trackIds` are every track's id (for the sidechain). */
export function checkTrack(t: RawRecord, path: string, ctx: strip.StripCheckContext & { trackIds: ReadonlySet<unknown> }, fields: FieldChecks, issues: string[]): void {
  strip.checkIdentity(t, path, ctx, fields, issues);
  strip.checkOutput(t, path, ctx, fields, issues);
  const stem = fields.at(t, 'stem', path);
  if (stem !== null) {
    if (typeof stem !== 'object' || stem === null || Array.isArray(stem) || typeof (stem as RawRecord).key !== 'string' || typeof (stem as RawRecord).fileName !== 'string') {
      issues.push(`${path}.stem: expected a StemRef or null`);
    } else {
      for (const k of ['sampleRate', 'channels', 'frames']) {
        const n = (stem as RawRecord)[k];
        if (!Number.isInteger(n) || (n as number) < 0) issues.push(`${path}.stem.${k}: expected a non-negative integer`);
      }
    }
  }
  checkParams(TRACK_SPEC, t, path, issues);
  const comp = typeof t.comp === 'object' && t.comp !== null ? (t.comp as RawRecord) : {};
  const sc = fields.at(comp, 'sidechain', `${path}.comp`);
  if (sc !== null && (sc === t.id || !ctx.trackIds.has(sc))) issues.push(`${path}.comp.sidechain: not another existing track`);
  // A snapshot from before schema 5 has no gate (a self-keyed gate that is off).
  if (typeof t.gate === 'object' && t.gate !== null) {
    const key = fields.at(t.gate as RawRecord, 'sidechain', `${path}.gate`);
    if (key !== null && (key === t.id || !ctx.trackIds.has(key))) issues.push(`${path}.gate.sidechain: not another existing track`);
  }
  checkSends(t, path, true, ctx.busKind, fields, issues);
  checkAutomation(t, path, trackLanes(Array.isArray(t.sends) ? t.sends.map((s: RawRecord) => s?.bus) : []), issues);
}

/** Brings one stored track from schema `from` to `from + 1`. */
export function migrateTrack(map: Y.Map<unknown>, from: number): void {
  strip.migrateStrip(map, from);
  addParamsSince(TRACK_SPEC, map, from);
}

/** Schema versions at which tracks changed. */
export const TRACK_SCHEMA_STEPS: readonly number[] = [...strip.STRIP_SCHEMA_STEPS, ...paramSinceVersions(TRACK_SPEC)];
