import type {
  CompressorSettings,
  GateSettings,
  Decibels,
  DeesserSettings,
  DelayState,
  Hz,
  Id,
  PanLaw,
  LimiterState,
  ReverbState,
  SaturationState,
  StemRef,
} from '../model/MixState.ts';
import type { ParamSchedule } from './automation/ParamSchedule.ts';

/**
 * A MixPlan is the audio graph of one mix state: every node the browser engine creates and
 * the server bake runs, every connection, every parameter in the unit the realising node
 * takes. It is plain data (JSON-safe), built by the pure `buildMixPlan(state)`, and it is
 * the single source of truth both sides realise:
 *
 * - `nodes` are in a topological order with a deterministic tie-break: a block-based
 *   runner can process them front to back in one pass per block (no cycles exist).
 * - Each node's input `0` sums every edge into it, in `edges` order. Before summing, a
 *   source signal is up/down-mixed to the node's `channels` by the Web Audio "speakers"
 *   rules (mono -> stereo copies M to L and R; stereo -> mono is 0.5·(L+R)). Input `1` is
 *   a compressor's or gate's sidechain (detector) input and is mixed the same way. One exception:
 *   a `panner` takes its input at the input's own channel count (Web Audio 'clamped-max'),
 *   so a mono strip gets the spec's mono pan law; its `channels` (2) is its output.
 * - Topology (which nodes and edges exist) depends only on tracks, buses, stems' channel
 *   counts, routing (outputs, send targets, pre/post, sidechain keys) and bus effect
 *   types. Everything else (levels, mute/solo, on/off, EQ) only changes parameters, so
 *   the engine applies such changes as ramps without rebuilding the graph.
 * - `bypass: true` on a processor means: output = input delayed by the kernel's
 *   `latencyFrames` (use {@link createPlanProcessor}, which does exactly that). Bypass
 *   therefore never shifts time, and because every track strip carries the same
 *   processors, every track reaches its bus with the same latency: no parallel path
 *   needs extra compensation delay. Sidechain keys are tapped before any processor with
 *   latency (the compressor's post-EQ, the gate's post-filters), so they line up with
 *   the signal they act on.
 * - Mute and solo are already resolved into the `gain` of the `mute` and `send` gain
 *   nodes (0 or 1 factor), so the engine and the bake cannot disagree about who is heard.
 * - `automation` on a node lists its automated parameters, each as a {@link ParamSchedule}
 *   in the node's own unit (linear gain, Hz, ...): the schedule replaces the static value
 *   for the whole song (a lane wins over the control, as in a DAW's Read mode). Automation
 *   never changes topology: a node is the same node with or without it.
 */
export interface MixPlan {
  /** Plan format version; bumped when node kinds or semantics change. */
  version: typeof MIX_PLAN_VERSION;
  sampleRate: number;
  nodes: PlanNode[];
  edges: PlanEdge[];
  /** Length of the longest stem in frames at `sampleRate` (0 without stems). */
  frames: number;
}

/** Current {@link MixPlan.version}. */
export const MIX_PLAN_VERSION = 1 as const;

/** Stable node id: `<owner kind>:<owner id>:<role>` (e.g. `track:t1:fader`, `master::limiter`). */
export type PlanNodeId = string;

/** A signal connection. `input` 1 is the sidechain (key) input of a compressor or gate node. */
export interface PlanEdge {
  from: PlanNodeId;
  to: PlanNodeId;
  input: 0 | 1;
}

/** What a node belongs to: a track strip, a bus strip or the master section. */
export interface PlanOwner {
  kind: 'track' | 'bus' | 'master';
  /** Track or bus id; '' for the master. */
  id: Id;
}

interface PlanNodeBase {
  id: PlanNodeId;
  owner: PlanOwner;
  /** Role within the strip, e.g. 'trim', 'hpf', 'eq2', 'comp', 'fader', 'send:<busId>'. */
  role: string;
  /** Channel count of the node's output (and of its input after up/down-mixing). */
  channels: 1 | 2;
}

/** Plays a track's stem from the transport position; silent when `stem` is null. */
export interface SourcePlanNode extends PlanNodeBase {
  kind: 'source';
  trackId: Id;
  stem: StemRef | null;
}

/** Multiplies by a linear gain (negative = polarity inverted). Web Audio GainNode math. */
export interface GainPlanNode extends PlanNodeBase {
  kind: 'gain';
  /** Linear amplitude factor. */
  gain: number;
  /** The factor over the song (a fader or send lane, a mute lane as 0/1 steps). */
  automation?: { gain?: ParamSchedule };
}

/** Web Audio BiquadFilterNode filter types used by the plan. */
export type PlanBiquadType = 'lowpass' | 'highpass' | 'peaking' | 'lowshelf' | 'highshelf' | 'notch' | 'bandpass';

/**
 * One Web Audio spec biquad. `q` is the BiquadFilterNode `Q` AudioParam value: for
 * lowpass/highpass it is in dB (spec), so the plan converts the model's linear Q with
 * 20·log10(q); for the other types it is the linear Q. `gain` is in dB.
 */
export interface BiquadPlanNode extends PlanNodeBase {
  kind: 'biquad';
  type: PlanBiquadType;
  frequency: Hz;
  q: number;
  gain: Decibels;
  /** Off: the signal passes unchanged (the engine realises a 0 dB peaking filter). */
  bypass: boolean;
  /** EQ band lanes: `frequency` in Hz, `gain` in dB (AudioParam units). */
  automation?: { frequency?: ParamSchedule; gain?: ParamSchedule };
}

/**
 * A strip's pan (StereoPannerProcessor). A mono input gets the spec's equal-power mono law; a
 * stereo input gets `law`: 'webaudio' is the Web Audio StereoPannerNode, 'balance' scales L
 * and R by two gains (see {@link PanLaw}). Output is stereo.
 */
export interface PannerPlanNode extends PlanNodeBase {
  kind: 'panner';
  /** -1 hard left .. +1 hard right. */
  pan: number;
  law: PanLaw;
  /**
   * The pan lane: `pan` for a StereoPannerNode (a mono input, or the Web Audio law); under
   * the balance law with a stereo input, `left` and `right` are the two channel gains
   * following it (balanceGains, in straight segments), which both engines play instead.
   */
  automation?: { pan: ParamSchedule; left?: ParamSchedule; right?: ParamSchedule };
}

/**
 * Parameters of each processor kernel: its record's section without the switch (the
 * records in model/ hold their types, ranges and defaults).
 */
/** Track compressor and master glue (model/CompressorSpec.ts). */
export type CompressorPlanParams = CompressorSettings;
/**
 * Track de-esser (model/DeesserSpec.ts). `listen` (the band alone) is false in every plan
 * built from a mix state; only a listener's private monitor layer sets it on its own copy.
 */
export type DeesserPlanParams = DeesserSettings & { listen: boolean };
export type SaturationPlanParams = Omit<SaturationState, 'on'>;
export type LimiterPlanParams = Omit<LimiterState, 'on'>;
export type ReverbPlanParams = Omit<ReverbState, 'type'>;
export type DelayPlanParams = Omit<DelayState, 'type'>;
/** Track gate (model/TrackSpec.ts `gate`). */
export type GatePlanParams = GateSettings;

/** Parameters of each worklet-realised processor kind. */
export interface ProcessorParamsByKind {
  compressor: CompressorPlanParams;
  deesser: DeesserPlanParams;
  gate: GatePlanParams;
  saturation: SaturationPlanParams;
  limiter: LimiterPlanParams;
  reverb: ReverbPlanParams;
  delay: DelayPlanParams;
}

export type ProcessorKind = keyof ProcessorParamsByKind;

/** Kinds realised by an AudioWorklet around a shared/dsp kernel (and by the kernel in the bake). */
export const PROCESSOR_KINDS = ['compressor', 'gate', 'deesser', 'saturation', 'limiter', 'reverb', 'delay'] as const satisfies readonly ProcessorKind[];

/** A shared/dsp kernel. `sidechain` says whether input 1 carries a key signal. */
export type ProcessorPlanNode = {
  [K in ProcessorKind]: PlanNodeBase & {
    kind: K;
    params: ProcessorParamsByKind[K];
    bypass: boolean;
    /** Compressors and gates: true when input 1 is fed by another track's key. */
    sidechain: boolean;
    /** Automated kernel params (compressor threshold, saturation drive, limiter ceiling), in the kernel's unit. */
    automation?: { [P in keyof ProcessorParamsByKind[K]]?: ParamSchedule };
  };
}[ProcessorKind];

/** The hardware / file output: the master limiter feeds it. */
export interface OutputPlanNode extends PlanNodeBase {
  kind: 'output';
}

export type PlanNode = SourcePlanNode | GainPlanNode | BiquadPlanNode | PannerPlanNode | ProcessorPlanNode | OutputPlanNode;
export type PlanNodeKind = PlanNode['kind'];
