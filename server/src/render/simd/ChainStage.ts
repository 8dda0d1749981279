import type { PlanNodeId } from '@mixroom/shared/plan';
import type { StripChainMemory } from './StripChainMemory.ts';
import type { BiquadCoefficients, CompressorSteadyState, DeesserSteadyState, GateSteadyState } from '@mixroom/shared/dsp';

/**
 * One step of a fused strip chain, in the terms of the JavaScript kernel it replaces:
 * a float32 gain (GainNode math; exactly 0 is a fill with +0), a biquad with its settled
 * coefficients, the stereo panner's gains for one of its four formulas (mono input, stereo
 * with pan <= 0 or > 0 under the spec's law, stereo under the balance law), a bypassed
 * processor's latency, or a send:
 * a gain node branching off the chain into its own output (the `send`-th of the chain), or
 * a compressor detecting its own input, with its settled constants and state.
 */
export type ChainStage =
  | { kind: 'gain'; gain: number }
  | { kind: 'biquad'; coefficients: Readonly<BiquadCoefficients> }
  | { kind: 'pan'; law: 'mono' | 'left' | 'right' | 'balance'; gl: number; gr: number }
  | { kind: 'delay'; frames: number }
  | { kind: 'send'; gain: number; send: number }
  | { kind: 'comp'; detector: 'peak' | 'rms'; constants: CompressorSteadyState }
  /**
   * A gate keyed by its own input (or by node `key`'s output, which the runtime hands the
   * kernel: createChainKernel's `keys`), or the de-esser (split or wide), with its settled
   * constants and state; its control-rate sub-blocks are placed by the song frame of the
   * chain's input minus `lag`.
   */
  | { kind: 'gate'; constants: GateSteadyState; lag: number; key?: PlanNodeId }
  | { kind: 'deess'; constants: DeesserSteadyState; lag: number }
  /**
   * An automated gain, send, panner or biquad: its per-frame values come from its node's
   * schedules before each run (`values`), at the song frame of the chain's input minus
   * `lag`, the latency of the chain's stages before it.
   */
  | { kind: 'autoGain' | 'autoPan' | 'autoBiquad'; values: StageValues; lag: number }
  | { kind: 'autoSend'; values: StageValues; lag: number; send: number };

/** The per-frame values of an automated stage, written into the module's memory before each run. */
export interface StageValues {
  /** Writes the values of song frames [at, at + frames) at `address` (and `second`, PAN_AUTO's formulas). */
  write(memory: StripChainMemory, address: number, second: number, at: number, frames: number): void;
}
