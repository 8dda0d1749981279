/**
 * The plain-data view of a mix document: what `readMixState(doc)` returns and what
 * `buildMixPlan` consumes. It is the contract between the Yjs schema (model/), the plan
 * (plan/), the browser engine and the server bake, and a version snapshot is exactly one
 * of these serialised. Every number carries its unit in its type name.
 */

/** Stable id of a track, bus or send target (random, never reused). */
export type Id = string;
/** Level in decibels relative to unity (0 dB = gain 1). */
export type Decibels = number;
/** Frequency in hertz. */
export type Hz = number;
/** Duration in seconds. */
export type Seconds = number;
/** Dimensionless ratio or factor (Q, compression ratio, 0..1 mix). */
export type Ratio = number;

/** Where a track or bus sends its output: a group bus id, or the master. */
export type OutputTarget = Id | 'master';

export interface SessionState {
  title: string;
  /** Sample rate of the session: stems, playback and bake run at it. */
  sampleRate: number;
  /** Version of the document schema; migrations bring older documents up to it. */
  schemaVersion: number;
  /** Optional tempo so the transport can show bars; null when unknown. */
  tempo: number | null;
}

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

export interface EqBandState {
  on: boolean;
  type: EqBandType;
  freq: Hz;
  /** Boost/cut; ignored by notch and bandpass, as in the Web Audio spec. */
  gain: Decibels;
  q: Ratio;
}

/** 12 dB/octave high- or low-pass (one spec biquad). */
export interface PassFilterState {
  on: boolean;
  freq: Hz;
  q: Ratio;
}

export interface EqState {
  hpf: PassFilterState;
  lpf: PassFilterState;
  /** Exactly four parametric bands, low to high by default. */
  bands: [EqBandState, EqBandState, EqBandState, EqBandState];
}

export interface CompressorState {
  on: boolean;
  threshold: Decibels;
  ratio: Ratio;
  attack: Seconds;
  release: Seconds;
  /** Soft-knee width. */
  knee: Decibels;
  makeup: Decibels;
  /** Track whose signal drives the detector (e.g. the kick ducking the bass); null = self. */
  sidechain: Id | null;
}

export interface SaturationState {
  on: boolean;
  /** Input drive into the waveshaper. */
  drive: Decibels;
  /** Dry/wet blend, 0 = dry, 1 = fully saturated. */
  mix: Ratio;
}

export interface SendState {
  /** Target aux bus. */
  bus: Id;
  level: Decibels;
  /** Pre-fader sends ignore the channel fader (and mute follows the source). */
  pre: boolean;
  on: boolean;
}

/**
 * How a strip's pan treats a stereo input (a mono input always gets the spec's mono
 * equal-power law, cos/sin((pan + 1)·π/4)):
 * - 'balance': a balance control. The side the pan points to stays at unity; the other side
 *   is attenuated by the spec's gain for it (pan ≤ 0: R·sin((pan + 1)·π/2); pan > 0:
 *   L·cos(pan·π/2)) and is NOT folded into the kept side, so panning never raises the level.
 * - 'webaudio': the Web Audio StereoPannerNode's stereo law, which folds the attenuated side
 *   into the kept one (pan ≤ 0: L + R·cos((pan + 1)·π/2)): hard left on equal channels is
 *   +6 dB in peak and +3 LU. Strips made before schema v3 keep it until their owner switches.
 */
export const PAN_LAWS = ['balance', 'webaudio'] as const;
export type PanLaw = (typeof PAN_LAWS)[number];

export interface TrackState {
  id: Id;
  name: string;
  stem: StemRef | null;
  color: string;
  /** Sort key; ties broken by id so every peer shows the same order. */
  order: number;
  trim: Decibels;
  /** True inverts polarity. */
  polarity: boolean;
  gain: Decibels;
  mute: boolean;
  solo: boolean;
  soloSafe: boolean;
  /** -1 hard left .. +1 hard right; see {@link PanLaw}. */
  pan: number;
  /** How `pan` treats a stereo stem. */
  panLaw: PanLaw;
  eq: EqState;
  comp: CompressorState;
  sat: SaturationState;
  /** Sorted by bus id. At most one send per bus. */
  sends: SendState[];
  output: OutputTarget;
}

export interface ReverbState {
  type: 'reverb';
  /** RT60-style decay time. */
  decay: Seconds;
  preDelay: Seconds;
  /** High-frequency damping corner. */
  damping: Hz;
}

export interface DelayState {
  type: 'delay';
  time: Seconds;
  feedback: Ratio;
  /** Low-pass in the feedback loop. */
  damping: Hz;
}

export type BusEffectState = ReverbState | DelayState;

export const BUS_KINDS = ['aux', 'group'] as const;
export type BusKind = (typeof BUS_KINDS)[number];

export interface BusState {
  id: Id;
  name: string;
  /** aux: a send-fed effect return; group: a summing sub-mix of tracks routed to it. */
  kind: BusKind;
  color: string;
  order: number;
  gain: Decibels;
  mute: boolean;
  solo: boolean;
  /** Aux returns are solo-safe by default so soloing a vocal keeps its reverb. */
  soloSafe: boolean;
  /** -1 hard left .. +1 hard right; see {@link PanLaw} (a bus is always stereo). */
  pan: number;
  panLaw: PanLaw;
  /** The aux return's effect (100% wet); null on group buses. */
  effect: BusEffectState | null;
  /** Group buses may feed aux buses; aux buses have none (no send cycles by construction). */
  sends: SendState[];
  output: OutputTarget;
}

export interface GlueCompressorState {
  on: boolean;
  threshold: Decibels;
  ratio: Ratio;
  attack: Seconds;
  release: Seconds;
  knee: Decibels;
  makeup: Decibels;
}

export interface LimiterState {
  on: boolean;
  /** True-peak ceiling. */
  ceiling: Decibels;
  release: Seconds;
}

export interface MasterState {
  gain: Decibels;
  glue: GlueCompressorState;
  limiter: LimiterState;
}

export interface MixState {
  session: SessionState;
  /** Sorted by (order, id). */
  tracks: TrackState[];
  /** Sorted by (order, id). */
  buses: BusState[];
  master: MasterState;
}
