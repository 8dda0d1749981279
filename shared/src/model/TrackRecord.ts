import type { DocShape } from './DocShape.ts';
import type * as Y from 'yjs';
import type { AutomationLanes } from './AutomationLane.ts';
import { automationToDocShape, checkAutomation, sanitizeAutomation, type LaneContext } from './AutomationRecord.ts';
import { addParamsSince, checkParams, flattenParams, paramDefaults, paramSinceVersions, paramsToDocShape, sanitizeParams, splitDocShape, withAddedParams } from './ParamTable.ts';
import type { ValueOf } from './ParamSpec.ts';
import type { FieldChecks, RawRecord } from './checkFields.ts';
import { checkSends, sanitizeSends, sendsToDocShape, type SendState } from './SendRecord.ts';
import * as strip from './StripRecord.ts';
import { TRACK_SPEC, type TrackParams } from './TrackSpec.ts';
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
