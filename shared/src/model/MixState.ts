import type { BusState } from './BusRecord.ts';
import type { MasterState } from './MasterRecord.ts';
import type { SessionState } from './SessionRecord.ts';
import type { TrackState } from './TrackRecord.ts';

/**
 * The plain-data view of a mix document: what `readMixState(doc)` returns and what
 * `buildMixPlan` consumes. It is the contract between the Yjs schema (model/), the plan
 * (plan/), the browser engine and the server bake, and a version snapshot is exactly one
 * of these serialised. Every number carries its unit in its type name.
 *
 * Each record's type and migrations live in its own file: TrackRecord, BusRecord,
 * SendRecord, MasterRecord, SessionRecord (StripRecord for what tracks and buses share).
 * Its parameter table (kind, unit, range, default, display law) sits beside it in a
 * yjs-free <Record>Spec.ts (TrackSpec, BusSpec, ...), which the dsp kernels read too.
 */
export interface MixState {
  session: SessionState;
  /** Sorted by (order, id). */
  tracks: TrackState[];
  /** Sorted by (order, id). */
  buses: BusState[];
  master: MasterState;
}

export type * from './units.ts';
export { EQ_BAND_TYPES, type EqBandType } from './TrackSpec.ts';
export type { CompressorState, DeesserState, GateSettings, GateState, EqBandState, EqState, PassFilterState, SaturationState, StemRef, TrackState } from './TrackRecord.ts';
export { BUS_KINDS, type BusKind } from './BusSpec.ts';
export type { BusEffectState, BusState, DelayState, ReverbState } from './BusRecord.ts';
export { PAN_LAWS, type PanLaw } from './StripSpec.ts';
export type { SendState } from './SendRecord.ts';
export type { GlueCompressorState, LimiterState, MasterState } from './MasterRecord.ts';
export type { SessionState } from './SessionRecord.ts';
export type { CompressorSettings } from './CompressorSpec.ts';
export type { DeesserMode, DeesserSettings } from './DeesserSpec.ts';
