import type { BiquadCoefficients } from '@mixroom/shared/dsp';

/**
 * One step of a fused strip chain, in the terms of the JavaScript kernel it replaces:
 * a float32 gain (GainNode math), a biquad with its settled coefficients, or the stereo
 * panner's gains for one of the spec's three laws (mono input, stereo with pan <= 0,
 * stereo with pan > 0).
 */
export type ChainStage =
  | { kind: 'gain'; gain: number }
  | { kind: 'biquad'; coefficients: Readonly<BiquadCoefficients> }
  | { kind: 'pan'; law: 'mono' | 'left' | 'right'; gl: number; gr: number };
