/**
 * `@mixroom/shared/dsp`: sample-level kernels shared by the browser worklets and the
 * server bake. Every kernel implements {@link DspProcessor}; see README.md.
 */
export type { DspProcessor } from './DspProcessor.ts';
export { PARAM_RAMP_SECONDS, paramRampFrames } from './DspProcessor.ts';
export { DspParamError } from './DspParamError.ts';
export { clampParam } from './clampParam.ts';
export { dbToGain, gainToDb } from './decibels.ts';
export type { LinearGain } from './decibels.ts';
export { LinearRamp } from './LinearRamp.ts';
export { BIQUAD_TYPES, BiquadProcessor, biquadCoefficients, biquadResponse } from './biquad.ts';
export type { BiquadType, BiquadParams, BiquadCoefficients, FrequencyResponse } from './biquad.ts';
export { BiquadCascade } from './BiquadCascade.ts';
export { GainProcessor, linearGainOf } from './gain.ts';
export type { GainParams } from './gain.ts';
export { balanceGains, StereoPannerProcessor, stereoPannerLaw } from './stereoPanner.ts';
export type { StereoPannerLaw, StereoPannerParams } from './stereoPanner.ts';
export { COMPRESSOR_DETECTORS, COMPRESSOR_RMS_SECONDS, CompressorProcessor, compressorCurve } from './compressor.ts';
export type { CompressorDetector, CompressorParams, CompressorSteadyState } from './compressor.ts';
export { COMPRESSOR_SLOT, COMPRESSOR_STATE_SLOTS } from './compressorState.ts';
export type { CompressorStateSlot } from './compressorState.ts';
export { CONTROL_GLIDE, CONTROL_SUB_BLOCK, subBlockPhase } from './controlSubBlock.ts';
export { DEESSER_ATTACK_SECONDS, DEESSER_BAND_Q, DEESSER_RATIO, DEESSER_RELEASE_SECONDS, DEESSER_SUB_BLOCK, DeesserProcessor, deesserCurve } from './deesser.ts';
export type { DeesserParams, DeesserSteadyState } from './deesser.ts';
export { DEESSER_SLOT, DEESSER_STATE_SLOTS } from './deesserState.ts';
export type { DeesserStateSlot } from './deesserState.ts';
export { GateProcessor, gateCurve } from './gate.ts';
export type { GateParams, GateSteadyState } from './gate.ts';
export { GATE_SLOT, GATE_STATE_SLOTS } from './gateState.ts';
export type { GateStateSlot } from './gateState.ts';
export { SaturationProcessor, softClip } from './saturation.ts';
export type { SaturationParams } from './saturation.ts';
export { LIMITER_LOOKAHEAD_SECONDS, LimiterProcessor } from './limiter.ts';
export type { LimiterParams, LimiterSteadyState } from './limiter.ts';
export { REVERB_DIFFUSER_GAIN, REVERB_OUT_GAIN, ReverbProcessor } from './reverb.ts';
export type { ReverbLayout, ReverbParams } from './reverb.ts';
export { DELAY_MAX_SECONDS, DelayProcessor } from './delay.ts';
export type { DelayParams } from './delay.ts';
export { PeakRmsMeter } from './PeakRmsMeter.ts';
export type { MeterReading, PeakRmsMeterParams } from './PeakRmsMeter.ts';
export { DETECTOR_DELAY, DETECTOR_TAPS_PER_PHASE, detectorCoefficients, TruePeakDetector } from './TruePeakDetector.ts';
export { halfbandSideTaps } from './Halfband2x.ts';
export { kaiserLowpass } from './kaiserLowpass.ts';
// BS.1770 loudness and true peak (stems analysis, the bake's loudness report).
export * from './loudness/index.ts';
export { DETERMINISTIC_LOG_TABLES, deterministicLog } from './deterministicLog.ts';
export { DETERMINISTIC_EXP_TABLES, deterministicExp } from './deterministicExp.ts';
