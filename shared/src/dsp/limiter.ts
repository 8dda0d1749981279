import { MASTER_SPEC } from '../model/MasterSpec.ts';
import type { Decibels, LimiterState, Seconds } from '../model/MixState.ts';
import { checkParamsObject, checkSampleRate, clampSettings } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';
import { DETECTOR_DELAY, DETECTOR_TAPS_PER_PHASE, detectorCoefficients, TruePeakDetector } from './TruePeakDetector.ts';

/**
 * Limiter settings: the master limiter section without its switch, clamped to its ranges
 * (model/MasterSpec.ts). `ceiling` is the true-peak ceiling (sample peaks never exceed
 * it); `release` a time constant τ (63.2 % recovery of the gain in τ).
 */
export type LimiterParams = Omit<LimiterState, 'on'>;

/**
 * A limiter at rest (never run, ceiling not ramping), as a transcription of
 * {@link LimiterProcessor.process} needs it to produce the same samples from here on.
 */
export interface LimiterSteadyState {
  /** Linear ceiling the gain computer limits to. */
  ceiling: number;
  /** The output clamp: the largest float32 value <= ceiling. */
  clampAt: number;
  /** Release one-pole coefficient exp(-1 / (release · sampleRate)). */
  releaseCoef: number;
  /** Lookahead L in frames (sliding-minimum and moving-average length). */
  lookahead: number;
  /** Delay of the true-peak detector in frames (|x| is delayed to match it). */
  detectDelay: number;
  /** Audio delay: lookahead - 1 + detectDelay. */
  latencyFrames: number;
  /** The detector's long interpolator, phases 1..3 ({@link detectorCoefficients}). */
  detectorCoefficients: Float64Array;
  /** Taps per phase of that interpolator. */
  detectorTapsPerPhase: number;
}

/** Lookahead: the gain reaches its target linearly over this window before a peak. */
export const LIMITER_LOOKAHEAD_SECONDS = 0.002;
const NEPER_PER_DB = Math.LN10 / 20;
/** Frames per pass of `process` (bounds the peak buffers). */
const LIMITER_CHUNK = 256;

/**
 * Brickwall true-peak limiter with lookahead, stereo-linked.
 *
 * Per sample: the true peak is estimated as the largest of |x| and the 4x-interpolated values
 * on both sides of it, by two interpolators ({@link TruePeakDetector}: a near-ideal one, as
 * ffmpeg's meter reads, and BS.1770's, as ours reads), both channels; the required gain is
 * min(1, ceiling/peak). A sliding
 * minimum over the lookahead window L holds that requirement for L samples, and a moving
 * average of length L turns the held steps into linear ramps that reach the requirement
 * exactly at the peak (the average of L values that are all <= r is <= r). Release is a
 * one-pole recovery that can only lower the gain below the ramp, never raise it above.
 * Finally every output sample is clamped to the ceiling, so sample peaks can never exceed
 * it even through rounding. Latency is {@link latencyFrames} = L - 1 + the interpolator's delay.
 */
export class LimiterProcessor implements DspProcessor<LimiterParams> {
  readonly sampleRate: number;
  readonly latencyFrames: number;
  private params: LimiterParams = { ceiling: -1, release: 0.05 };
  private readonly ceiling = new LinearRamp(Math.exp(-1 * NEPER_PER_DB));
  private releaseCoef = 0;
  private readonly lookahead: number;
  private readonly detectDelay: number;
  private readonly detectors = [new TruePeakDetector(), new TruePeakDetector()];
  /** Two slots for branch-free selection in `process`. */
  private readonly sel = new Float64Array(2);
  /** Per-chunk true-peak estimates per channel. */
  private readonly peaks0 = new Float64Array(LIMITER_CHUNK);
  private readonly peaks1 = new Float64Array(LIMITER_CHUNK);
  /** Audio delay lines (latencyFrames long) per channel. */
  private readonly audio: Float32Array[];
  private audioPos = 0;
  /** Detector alignment delay of |x| (detectDelay long) per channel. */
  private readonly absDelay: Float64Array[];
  private absPos = 0;
  /** Monotonic deque for the sliding minimum: values and their sample indices. */
  private readonly dqVal: Float64Array;
  private readonly dqIdx: Float64Array;
  private dqHead = 0;
  private dqLen = 0;
  /** Ring of held minima for the moving average. */
  private readonly held: Float64Array;
  private heldPos = 0;
  private heldSum = 0;
  private gain = 1;
  private t = 0;
  private minGain = 1;
  private prevInterp = 0;
  /** The largest float32 value <= the linear ceiling: the output clamp. */
  private clampAt = 1;
  /** The ceiling clampAt was computed for. */
  private lastCeiling = 1;
  private readonly rampFrames: number;
  private fresh = true;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.lookahead = Math.max(1, Math.round(LIMITER_LOOKAHEAD_SECONDS * sampleRate));
    this.detectDelay = DETECTOR_DELAY;
    this.latencyFrames = this.lookahead - 1 + this.detectDelay;
    this.audio = [new Float32Array(Math.max(1, this.latencyFrames)), new Float32Array(Math.max(1, this.latencyFrames))];
    this.absDelay = [new Float64Array(this.detectDelay), new Float64Array(this.detectDelay)];
    this.dqVal = new Float64Array(this.lookahead + 1);
    this.dqIdx = new Float64Array(this.lookahead + 1);
    this.held = new Float64Array(this.lookahead);
    this.reset();
  }

  setParams(p: Partial<LimiterParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<LimiterParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<LimiterParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    clampSettings(p, MASTER_SPEC.limiter.params, next);
    this.params = next;
    const c = Math.exp(next.ceiling * NEPER_PER_DB);
    if (snap) {
      this.ceiling.snap(c);
      this.fresh = false;
      this.clampAt = floatAtOrBelow(c);
      this.lastCeiling = c;
    } else this.ceiling.rampTo(c, this.rampFrames);
    this.releaseCoef = Math.exp(-1 / (next.release * this.sampleRate));
  }

  getParams(): Readonly<LimiterParams> {
    return this.params;
  }

  reset(): void {
    for (const d of this.detectors) d.reset();
    for (const a of this.audio) a.fill(0);
    for (const a of this.absDelay) a.fill(0);
    this.audioPos = 0;
    this.absPos = 0;
    this.dqHead = 0;
    this.dqLen = 0;
    this.held.fill(1);
    this.heldPos = 0;
    this.heldSum = this.lookahead;
    this.gain = 1;
    this.t = 0;
    this.minGain = 1;
    this.prevInterp = 0;
    this.ceiling.snap(Math.exp(this.params.ceiling * NEPER_PER_DB));
    this.releaseCoef = Math.exp(-1 / (this.params.release * this.sampleRate));
    this.clampAt = floatAtOrBelow(this.ceiling.value);
    this.lastCeiling = this.ceiling.value;
    this.fresh = true;
  }

  /**
   * The constants a transcription of `process` (the server's WebAssembly master limiter)
   * needs to continue exactly, or null unless this limiter is at rest: nothing processed
   * since the last reset and the ceiling not ramping.
   */
  steadyState(): LimiterSteadyState | null {
    if (this.t !== 0 || this.ceiling.ramping) return null;
    return {
      ceiling: this.ceiling.value,
      clampAt: floatAtOrBelow(this.ceiling.value),
      releaseCoef: this.releaseCoef,
      lookahead: this.lookahead,
      detectDelay: this.detectDelay,
      latencyFrames: this.latencyFrames,
      detectorCoefficients: detectorCoefficients(),
      detectorTapsPerPhase: DETECTOR_TAPS_PER_PHASE,
    };
  }

  /** Gain reduction (dB, >= 0) applied to the last output sample. */
  get gainReductionDb(): Decibels {
    return -20 * Math.log10(this.gain);
  }

  /** Largest gain reduction (dB, >= 0) since the previous call. */
  takeGainReductionPeak(): Decibels {
    const g = this.minGain;
    this.minGain = this.gain;
    return -20 * Math.log10(g);
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const stereo = inputs.length > 1 && outputs.length > 1;
    const in0 = inputs[0]!;
    const in1 = stereo ? inputs[1]! : in0;
    const out0 = outputs[0]!;
    const out1 = stereo ? outputs[1]! : out0;
    // Indexing, not array destructuring: destructuring goes through the iterator protocol.
    const det0 = this.detectors[0]!;
    const det1 = this.detectors[1]!;
    const a0 = this.audio[0]!;
    const a1 = this.audio[1]!;
    const abs0 = this.absDelay[0]!;
    const abs1 = this.absDelay[1]!;
    const L = this.lookahead;
    const D = this.detectDelay;
    const lat = this.latencyFrames;
    const dqVal = this.dqVal;
    const dqIdx = this.dqIdx;
    const cap = dqVal.length;
    const held = this.held;
    const rel = this.releaseCoef;
    const ceilRamp = this.ceiling;
    let { audioPos, absPos, dqHead, dqLen, heldPos, heldSum, gain, t, minGain, prevInterp, clampAt, lastCeiling } = this;
    const sel = this.sel;
    const pk0 = this.peaks0;
    const pk1 = this.peaks1;
    for (let off = 0; off < frames; off += LIMITER_CHUNK) {
      const n = Math.min(LIMITER_CHUNK, frames - off);
      // True-peak estimates of the chunk first: they depend on the input only.
      det0.peaks(in0, off, n, pk0);
      if (stereo) det1.peaks(in1, off, n, pk1);
      for (let i = off; i < off + n; i++) {
        const c = ceilRamp.ramping ? ceilRamp.next() : ceilRamp.value;
        if (c !== lastCeiling) {
          clampAt = floatAtOrBelow(c);
          lastCeiling = c;
        }
        const x0 = in0[i]!;
        const x1 = in1[i]!;
        // True-peak estimate for the sample D frames ago (the interpolator's delay).
        // Data-dependent choices below pick from `sel` by a 0/1 comparison result, with the
        // same outcome as the `a > b ? a : b` they replace (NaN included): on noise-like
        // audio those branches mispredict about half the time.
        let interp = pk0[i - off]!;
        let s0 = Math.abs(x0);
        if (D > 0) {
          const d = abs0[absPos]!;
          abs0[absPos] = s0;
          s0 = d;
        }
        if (stereo) {
          const p1 = pk1[i - off]!;
          sel[0] = interp;
          sel[1] = p1;
          interp = sel[+(p1 > interp)]!;
          let s1 = Math.abs(x1);
          if (D > 0) {
            const d = abs1[absPos]!;
            abs1[absPos] = s1;
            s1 = d;
          }
          sel[0] = s0;
          sel[1] = s1;
          s0 = sel[+(s1 > s0)]!;
        }
        // The sample itself and the inter-sample peaks on both sides of it (the interpolated
        // values of the previous sample cover the interval leading into this one).
        sel[0] = prevInterp;
        sel[1] = interp;
        let pk = sel[+(interp > prevInterp)]!;
        sel[0] = pk;
        sel[1] = s0;
        pk = sel[+(s0 > pk)]!;
        prevInterp = interp;
        if (D > 0) absPos = absPos + 1 === D ? 0 : absPos + 1;
        sel[0] = 1;
        sel[1] = c / pk;
        const req = sel[+(pk > c)]!;
        // Sliding minimum of req over the last L samples (monotonic deque; ring of cap slots).
        let back = dqHead + dqLen - 1;
        if (back >= cap) back -= cap;
        while (dqLen > 0 && dqVal[back]! >= req) {
          dqLen--;
          back = back === 0 ? cap - 1 : back - 1;
        }
        let tail = dqHead + dqLen;
        if (tail >= cap) tail -= cap;
        dqVal[tail] = req;
        dqIdx[tail] = t;
        dqLen++;
        if (dqIdx[dqHead]! <= t - L) {
          dqHead = dqHead + 1 === cap ? 0 : dqHead + 1;
          dqLen--;
        }
        const hmin = dqVal[dqHead]!;
        // Moving average of the held minima: linear ramp into each peak.
        heldSum += hmin - held[heldPos]!;
        held[heldPos] = hmin;
        heldPos = heldPos + 1 === L ? 0 : heldPos + 1;
        // Re-sum exactly once per window (by sample index, so block size cannot matter)
        // so rounding drift never accumulates and unity stays exactly unity.
        if (heldPos === 0) {
          let s = 0;
          for (let k = 0; k < L; k++) s += held[k]!;
          heldSum = s;
        }
        let target = heldSum / L;
        if (target > 1) target = 1;
        gain = target <= gain ? target : gain + (target - gain) * (1 - rel);
        if (gain < minGain) minGain = gain;
        t++;
        // Delay the audio by latencyFrames and apply the gain; clamp to the ceiling.
        let y0: number;
        let y1: number;
        if (lat > 0) {
          y0 = a0[audioPos]!;
          a0[audioPos] = x0;
          y1 = a1[audioPos]!;
          a1[audioPos] = x1;
          audioPos = audioPos + 1 === lat ? 0 : audioPos + 1;
        } else {
          y0 = x0;
          y1 = x1;
        }
        const cf = clampAt;
        let o0 = Math.fround(y0 * gain);
        if (o0 > cf) o0 = cf;
        else if (o0 < -cf) o0 = -cf;
        out0[i] = o0;
        if (stereo) {
          let o1 = Math.fround(y1 * gain);
          if (o1 > cf) o1 = cf;
          else if (o1 < -cf) o1 = -cf;
          out1[i] = o1;
        }
      }
    }
    this.audioPos = audioPos;
    this.absPos = absPos;
    this.dqHead = dqHead;
    this.dqLen = dqLen;
    this.heldPos = heldPos;
    this.heldSum = heldSum;
    this.gain = gain;
    this.t = t;
    this.minGain = minGain;
    this.prevInterp = prevInterp;
    this.clampAt = clampAt;
    this.lastCeiling = lastCeiling;
  }
}

/** The largest float32 value that is <= v (v > 0), so a clamped Float32Array sample never exceeds v. */
function floatAtOrBelow(v: number): number {
  let f = Math.fround(v);
  while (f > v) f = Math.fround(f - f * 2 ** -23);
  return f;
}
