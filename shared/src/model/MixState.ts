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
 * Each record's type, parameter table (kind, unit, range, default, display law) and
 * migrations live in its own file: TrackRecord, BusRecord, SendRecord, MasterRecord,
 * SessionRecord (StripRecord for what tracks and buses share).
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
export { EQ_BAND_TYPES, type CompressorState, type DeesserState, type GateSettings, type GateState, type EqBandState, type EqBandType, type EqState, type PassFilterState, type SaturationState, type StemRef, type TrackState } from './TrackRecord.ts';
export { BUS_KINDS, type BusEffectState, type BusKind, type BusState, type DelayState, type ReverbState } from './BusRecord.ts';
export { PAN_LAWS, type PanLaw } from './StripRecord.ts';
export type { SendState } from './SendRecord.ts';
export type { GlueCompressorState, LimiterState, MasterState } from './MasterRecord.ts';
export type { SessionState } from './SessionRecord.ts';
export type { CompressorSettings } from './CompressorSpec.ts';
export type { DeesserMode, DeesserSettings } from './DeesserSpec.ts';
