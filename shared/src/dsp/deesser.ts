import type { Decibels, DeesserSettings } from '../model/MixState.ts';
import { DEESSER_MODES, DEESSER_SPEC } from '../model/DeesserSpec.ts';
import { biquadCoefficients, type BiquadCoefficients } from './biquad.ts';
import { checkFlag, checkParamsObject, checkSampleRate, clampSettings } from './clampParam.ts';
import { CONTROL_GLIDE, CONTROL_SUB_BLOCK, subBlockPhase } from './controlSubBlock.ts';
import { deterministicExp } from './deterministicExp.ts';
import { deterministicLog } from './deterministicLog.ts';
import { gainExp } from './gainExp.ts';
import { DEESSER_SLOT, DEESSER_STATE_SLOTS, type DeesserStateSlot } from './deesserState.ts';
import { DspParamError } from './DspParamError.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';

/**
 * De-esser settings: the model's section (model/DeesserSpec.ts) plus `listen`, which only
 * a listener's private monitor layer sets (the band alone, to tune `freq` by ear): it is
 * never stored in the document, so no peer and no bake ever hears it.
 */
export interface DeesserParams extends DeesserSettings {
  listen: boolean;
}

/** Gain-reduction attack time constant τ (s): fast enough to catch an "s" onset. */
export const DEESSER_ATTACK_SECONDS = 0.001;
/** Gain-reduction release time constant τ (s): quick, so the vowel after an "s" is not ducked. */
export const DEESSER_RELEASE_SECONDS = 0.06;
/** Fixed ratio of the static curve above threshold, until `range` is reached. */
export const DEESSER_RATIO = 4;
/**
 * Q of the band (the spec's constant-peak band-pass): about 1.4 octaves between its −3 dB
 * points, the width of an "s" (e.g. 4.5–11.7 kHz around 7 kHz).
 */
export const DEESSER_BAND_Q = 1;

/**
 * The de-esser's static curve: gain reduction (dB, >= 0) for a steady band peak level (dBFS).
 * Hard knee: (level − threshold)·(1 − 1/ratio) above the threshold, at most `range`.
 */
export function deesserCurve(level: Decibels, threshold: Decibels, range: Decibels): Decibels {
  const over = level - threshold;
  return over <= 0 ? 0 : Math.min(range, over * NEG_SLOPE);
}

const DB_PER_NEPER = 20 / Math.LN10;
const NEPER_PER_DB = Math.LN10 / 20;
const NEG_SLOPE = 1 - 1 / DEESSER_RATIO;
/** Reductions below this (dB) are flushed to 0 (a NaN one too), so an idle de-esser is exact. */
const GR_FLOOR = 1e-9;
/**
 * Frames per control step (0.33 ms at 48 kHz): the gain computer, the smoother and the gain
 * run once per sub-block of this many song frames (see {@link DeesserProcessor}).
 */
export const DEESSER_SUB_BLOCK = CONTROL_SUB_BLOCK;
const SUB = CONTROL_SUB_BLOCK;
const WEIGHT = CONTROL_GLIDE;
/** Band-pass states below this (−600 dB) are flushed to 0 at a control step, before they reach the denormals. */
const BAND_FLOOR = 1e-30;
/**
 * A band sample beyond this (a NaN or infinite input sample) reads as this huge peak, and the
 * band's states restart at 0 after it, as the gate's key filter does: else a NaN would stay
 * in the recursion for good (the band, its meter and listen NaN, the de-esser dead).
 */
const BAND_CEIL = 1e30;
// Slots of DeesserProcessor.f, laid out by deesserState.ts, which the bake's WebAssembly twin reads too.
const F_GR = DEESSER_SLOT.gainReduction; // smoothed gain reduction at the last control step, dB >= 0
const F_GR_PEAK = DEESSER_SLOT.grPeak; // meter: largest reduction since the last reading
const F_PHASE = DEESSER_SLOT.phase; // frames of the running sub-block done (song frame mod SUB)
const F_PEAK = DEESSER_SLOT.blockPeak; // largest |band| of either channel in the running sub-block
const F_FROM = DEESSER_SLOT.gm1From; // g − 1 the running sub-block glides from ...
const F_TO = DEESSER_SLOT.gm1To; // ... and reaches at its last frame
const F_THR_LIN = DEESSER_SLOT.thresholdLin; // the threshold as a linear peak
// The band-pass's history, (left, right) pairs: x1, x2 (inputs), y1, y2 (outputs).
const F_X1 = DEESSER_SLOT.x1L;
const F_X2 = DEESSER_SLOT.x2L;
const F_Y1 = DEESSER_SLOT.y1L;
const F_Y2 = DEESSER_SLOT.y2L;

/**
 * {@link DeesserProcessor.steadyState}: the state block by name (deesserState.ts), for the
 * bake's WebAssembly transcription.
 */
export type DeesserSteadyState = { readonly [K in DeesserStateSlot]: number };

const DEFAULT_DEESS: DeesserParams = { mode: 'split', freq: 6000, threshold: -30, range: 6, listen: false };

/**
 * Split-band de-esser, stereo-linked, no lookahead (latency 0).
 *
 * The band b is the input through a band-pass centred on `freq` (the spec's biquad
 * coefficients, {@link biquadCoefficients}, recomputed every sample while `freq` ramps as a
 * native filter's are). It runs in doubles, its outputs kept unrounded, with the feedback
 * term of the previous output last: b = b0·x + b1·x1 + b2·x2 − a2·b2' − a1·b1', so the
 * per-sample recursion is one product and one difference (its states are flushed to 0
 * below −600 dB at the control steps, so silence never reaches the denormals). A band sample
 * that is NaN, infinite or past 1e30 (a bad input sample) reads as 1e30 and restarts the band
 * from silence, so the de-esser, its meter and `listen` recover on the next sample.
 * The output is
 *
 *   y = x + (g − 1)·s,  s = b ('split': the band alone is turned down) or s = x ('wide').
 *
 * In split mode the band-pass and its complement x − b (a notch) form an IIR crossover that
 * sums back to x, and only the band is turned down: y = (x − b) + g·b, which is a peaking cut
 * of gr dB at `freq` (the band-pass has gain 1 and phase 0 there). Far below the band, b is
 * small and in quadrature with x, so the vowels change by hundredths of a dB at most.
 *
 * The gain runs at control rate. Song frames are cut into sub-blocks of
 * {@link DEESSER_SUB_BLOCK} (16: 0.33 ms at 48 kHz) counted from the song's first frame,
 * never from a block's start, so the worklet's 128-frame quanta, the bake's blocks, seeks
 * and loops all cut the same sub-blocks (`process`'s `at`). At a sub-block's last frame,
 * its band peak (the largest |b| of either channel) goes through the hard-knee gain
 * computer in dB ({@link deesserCurve}), the reduction gr is smoothed by a branching
 * one-pole (attack τ while it grows, release τ while it shrinks; its coefficient is the
 * per-sample one to the 16th power, so a steady target is reached on the per-sample
 * curve), and g = 10^(−gr/20). Over the next sub-block g − 1 glides linearly from the
 * previous value to the new one, reaching it at its last frame. Why this is inaudible: the
 * gain moves as smoothly as before (a line through points 0.33 ms apart on a curve whose
 * fastest time constant is 1 ms, with no step), the static curve is the same, and the
 * reaction comes at most one sub-block (0.33 ms) later; a sibilant lasts 50-200 ms. Why: the
 * logarithm, the smoother and the exponential ran on every sample and were most of the
 * bake's cost of a de-esser; now they run on one in 16.
 * A sub-block that glides from 0 to 0 (no reduction) outputs its input bit for bit, without
 * the formula (gr is flushed to 0 below 1e-9 dB).
 * Levels use {@link deterministicLog}, as the compressor does, and the gain {@link gainExp},
 * so the browser worklet and the bake compute the same doubles. `listen` outputs b instead.
 * Threshold, range, mode (split/wide) and listen ramp per sample over the usual 10 ms; the
 * gain computer takes the threshold and range of its control frame.
 */
export class DeesserProcessor implements DspProcessor<DeesserParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: DeesserParams = { ...DEFAULT_DEESS };
  /** The band's centre; its coefficients follow it every sample while it ramps. */
  private readonly freq = new LinearRamp(DEFAULT_DEESS.freq);
  private readonly coef: BiquadCoefficients = { b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 };
  private readonly threshold = new LinearRamp(DEFAULT_DEESS.threshold);
  private readonly range = new LinearRamp(DEFAULT_DEESS.range);
  /** 0 = split, 1 = wide. */
  private readonly wide = new LinearRamp(0);
  /** 0 = the de-essed signal, 1 = the band alone. */
  private readonly listen = new LinearRamp(0);
  /** Per sub-block: release a, 1 − a, attack a, 1 − a (picked at 2·(target > gr)). */
  private readonly smooth = new Float64Array(4);
  private readonly rampFrames: number;
  private fresh = true;
  /** The threshold F_THR_LIN was computed for. */
  private thresholdOfLin = Number.NaN;
  /** Smoothed gain reduction (dB), its meter peak, the sub-block state, the threshold as a linear peak (deesserState.ts). */
  private readonly f = new Float64Array(DEESSER_STATE_SLOTS.length);

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    // The one-pole once per sub-block: a^SUB = e^(−SUB/(τ·fs)).
    const release = deterministicExp(-SUB / (DEESSER_RELEASE_SECONDS * sampleRate));
    const attack = deterministicExp(-SUB / (DEESSER_ATTACK_SECONDS * sampleRate));
    this.smooth.set([release, 1 - release, attack, 1 - attack]);
    this.bandAt(this.freq.value);
    this.updateThreshold(DEFAULT_DEESS.threshold);
  }

  setParams(p: Partial<DeesserParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<DeesserParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<DeesserParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    // The band's edge stays under Nyquist at any rate (the spec biquad would pass it all).
    clampSettings(p, DEESSER_SPEC.params, next, { freq: 0.45 * this.sampleRate });
    if (p.mode !== undefined) {
      if (!(DEESSER_MODES as readonly string[]).includes(p.mode)) throw new DspParamError('mode', p.mode);
      next.mode = p.mode;
    }
    if (p.listen !== undefined) next.listen = checkFlag('listen', p.listen);
    this.params = next;
    // The first call after construction or reset applies at once, the filter's too.
    const apply = snap ? (r: LinearRamp, v: number) => r.snap(v) : (r: LinearRamp, v: number) => r.rampTo(v, this.rampFrames);
    apply(this.threshold, next.threshold);
    apply(this.range, next.range);
    apply(this.wide, next.mode === 'wide' ? 1 : 0);
    apply(this.listen, next.listen ? 1 : 0);
    apply(this.freq, next.freq);
    // A ramp's first sample computes its own coefficients; at once, they are the new ones.
    if (!this.freq.ramping) this.bandAt(this.freq.value);
    this.fresh = false;
    this.updateThreshold(this.threshold.value);
  }

  /** The band-pass's coefficients for centre `freq` (the spec's biquad at Q {@link DEESSER_BAND_Q}). */
  private bandAt(freq: number): void {
    biquadCoefficients('bandpass', freq, DEESSER_BAND_Q, 0, this.sampleRate, this.coef);
  }

  /** F_THR_LIN for threshold T (computed again only when T moved). */
  private updateThreshold(T: number): number {
    if (T !== this.thresholdOfLin) {
      this.thresholdOfLin = T;
      this.f[F_THR_LIN] = thresholdLin(T);
    }
    return this.f[F_THR_LIN]!;
  }

  getParams(): Readonly<DeesserParams> {
    return this.params;
  }

  reset(): void {
    const f = this.f;
    for (const k of [F_GR, F_GR_PEAK, F_PHASE, F_PEAK, F_FROM, F_TO]) f[k] = 0;
    f.fill(0, F_X1, F_Y2 + 2);
    this.threshold.snap(this.params.threshold);
    this.range.snap(this.params.range);
    this.wide.snap(this.params.mode === 'wide' ? 1 : 0);
    this.listen.snap(this.params.listen ? 1 : 0);
    this.freq.snap(this.params.freq);
    this.bandAt(this.freq.value);
    this.updateThreshold(this.params.threshold);
    this.fresh = true;
  }

  /**
   * The state block (audio state and settled constants) the steady path runs on, for a
   * transcription of the kernel that must compute the same doubles (the bake's strip
   * chains). Valid while no parameter ramps and `listen` is off.
   */
  steadyState(): DeesserSteadyState {
    const f = this.f;
    const c = this.coef;
    const sm = this.smooth;
    const state: DeesserSteadyState = {
      gainReduction: f[F_GR]!,
      grPeak: f[F_GR_PEAK]!,
      phase: f[F_PHASE]!,
      blockPeak: f[F_PEAK]!,
      gm1From: f[F_FROM]!,
      gm1To: f[F_TO]!,
      x1L: f[F_X1]!,
      x1R: f[F_X1 + 1]!,
      x2L: f[F_X2]!,
      x2R: f[F_X2 + 1]!,
      y1L: f[F_Y1]!,
      y1R: f[F_Y1 + 1]!,
      y2L: f[F_Y2]!,
      y2R: f[F_Y2 + 1]!,
      thresholdLin: this.updateThreshold(this.threshold.value),
      threshold: this.threshold.value,
      range: this.range.value,
      wide: this.wide.value,
      releaseCoef: sm[0]!,
      releaseComplement: sm[1]!,
      attackCoef: sm[2]!,
      attackComplement: sm[3]!,
      negSlope: NEG_SLOPE,
      dbPerNeper: DB_PER_NEPER,
      neperPerDb: NEPER_PER_DB,
      b0: c.b0,
      b1: c.b1,
      b2: c.b2,
      a1: c.a1,
      a2: c.a2,
    };
    return state;
  }

  /** Gain reduction (dB, >= 0) the last control step computed: where the running sub-block's gain glides to. */
  get gainReductionDb(): Decibels {
    return this.f[F_GR]!;
  }

  /** Largest gain reduction (dB, >= 0) since the previous call: what a meter shows. */
  takeGainReductionPeak(): Decibels {
    const p = this.f[F_GR_PEAK]!;
    this.f[F_GR_PEAK] = this.f[F_GR]!;
    return p;
  }

  /**
   * `at`: the song frame of the block's first sample (at the de-esser's input), which places
   * the sub-blocks; without it (nothing plays), they follow on from the previous block.
   */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number, _sidechain?: readonly Float32Array[], at?: number): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    if (channels === 0) return;
    if (at !== undefined && Number.isFinite(at)) this.f[F_PHASE] = subBlockPhase(at);
    const in0 = inputs[0]!;
    const in1 = channels > 1 ? inputs[1]! : in0;
    const out0 = outputs[0]!;
    const out1 = channels > 1 ? outputs[1]! : out0;
    this.run(in0, in1, out0, out1, channels > 1, frames);
  }

  /**
   * The block's samples one at a time: the band, the sub-block's band peak, the gliding gain
   * and the output; the control step at each sub-block's last frame. While a parameter
   * ramps, each sample takes its own values (the band its own coefficients).
   */
  private run(in0: Float32Array, in1: Float32Array, out0: Float32Array, out1: Float32Array, stereo: boolean, n: number): void {
    const f = this.f;
    const c = this.coef;
    const sm = this.smooth;
    const th = this.threshold;
    const rg = this.range;
    const wd = this.wide;
    const ls = this.listen;
    const fq = this.freq;
    let ramping = th.ramping || rg.ramping || wd.ramping || ls.ramping || fq.ramping;
    // The sample after a ramp's last one takes the targets.
    let settle = false;
    let T = th.value;
    let range = rg.value;
    let w = wd.value;
    let l = ls.value;
    let gr = f[F_GR]!;
    let grPeak = f[F_GR_PEAK]!;
    let phase = f[F_PHASE]!;
    let peak = f[F_PEAK]!;
    let from0 = f[F_FROM]!;
    let to0 = f[F_TO]!;
    let x1l = f[F_X1]!;
    let x1r = f[F_X1 + 1]!;
    let x2l = f[F_X2]!;
    let x2r = f[F_X2 + 1]!;
    let y1l = f[F_Y1]!;
    let y1r = f[F_Y1 + 1]!;
    let y2l = f[F_Y2]!;
    let y2r = f[F_Y2 + 1]!;
    let b0 = c.b0;
    let b1 = c.b1;
    let b2 = c.b2;
    let a1 = c.a1;
    let a2 = c.a2;
    for (let k = 0; k < n; k++) {
      if (ramping || settle) {
        if (ramping) {
          T = th.next();
          range = rg.next();
          w = wd.next();
          l = ls.next();
          if (fq.ramping) this.bandAt(fq.next());
          ramping = th.ramping || rg.ramping || wd.ramping || ls.ramping || fq.ramping;
          settle = !ramping;
        } else {
          T = th.value;
          range = rg.value;
          w = wd.value;
          l = ls.value;
          this.bandAt(fq.value);
          settle = false;
        }
        b0 = c.b0;
        b1 = c.b1;
        b2 = c.b2;
        a1 = c.a1;
        a2 = c.a2;
      }
      // Both reads before the writes: in mono, in1/out1 are in0/out0 (possibly in place).
      const xl = in0[k]!;
      const xr = in1[k]!;
      // The band, the previous output's feedback last (the recursion's one product and difference).
      let bl = b0 * xl + b1 * x1l + b2 * x2l - a2 * y2l - a1 * y1l;
      if (Math.abs(bl) < BAND_CEIL) {
        x2l = x1l;
        x1l = xl;
        y2l = y1l;
        y1l = bl;
      } else {
        // A NaN or infinite sample: a huge band peak, and the band restarts from silence after it.
        bl = BAND_CEIL;
        x2l = 0;
        x1l = 0;
        y2l = 0;
        y1l = 0;
      }
      let br = bl;
      if (stereo) {
        br = b0 * xr + b1 * x1r + b2 * x2r - a2 * y2r - a1 * y1r;
        if (Math.abs(br) < BAND_CEIL) {
          x2r = x1r;
          x1r = xr;
          y2r = y1r;
          y1r = br;
        } else {
          br = BAND_CEIL;
          x2r = 0;
          x1r = 0;
          y2r = 0;
          y1r = 0;
        }
      }
      // The sub-block's band peak.
      const al = Math.abs(bl);
      const ar = Math.abs(br);
      if (al > peak) peak = al;
      if (ar > peak) peak = ar;
      let yl = xl;
      let yr = xr;
      // A sub-block gliding from 0 to 0 is the input itself.
      if (from0 !== 0 || to0 !== 0) {
        const gm1 = from0 + (to0 - from0) * WEIGHT[phase]!;
        if (w === 0) {
          yl = xl + gm1 * bl;
          yr = xr + gm1 * br;
        } else if (w === 1) {
          yl = xl + gm1 * xl;
          yr = xr + gm1 * xr;
        } else {
          yl = xl + gm1 * (bl + w * (xl - bl));
          yr = xr + gm1 * (br + w * (xr - br));
        }
      }
      if (l === 1) {
        yl = bl;
        yr = br;
      } else if (l !== 0) {
        yl = yl + l * (bl - yl);
        yr = yr + l * (br - yr);
      }
      out0[k] = yl;
      out1[k] = yr;
      if (++phase === SUB) {
        // The control step: the sub-block's peak through the curve, the one-pole, the next gain.
        const target = peak > this.updateThreshold(T) ? targetOf(peak, T, range) : 0;
        const up = 2 * +(target > gr);
        gr = sm[up]! * gr + sm[up + 1]! * target;
        if (!(gr >= GR_FLOOR)) gr = 0;
        if (gr > grPeak) grPeak = gr;
        from0 = to0;
        to0 = gr === 0 ? 0 : gainExp(-gr * NEPER_PER_DB) - 1;
        peak = 0;
        phase = 0;
        // A band that has died away to −600 dB is silence: its states go to 0 (per channel).
        if (Math.abs(y1l) < BAND_FLOOR && Math.abs(y2l) < BAND_FLOOR) {
          y1l = 0;
          y2l = 0;
        }
        if (Math.abs(y1r) < BAND_FLOOR && Math.abs(y2r) < BAND_FLOOR) {
          y1r = 0;
          y2r = 0;
        }
      }
    }
    f[F_GR] = gr;
    f[F_GR_PEAK] = grPeak;
    f[F_PHASE] = phase;
    f[F_PEAK] = peak;
    f[F_FROM] = from0;
    f[F_TO] = to0;
    f[F_X1] = x1l;
    f[F_X1 + 1] = x1r;
    f[F_X2] = x2l;
    f[F_X2 + 1] = x2r;
    f[F_Y1] = y1l;
    f[F_Y1 + 1] = y1r;
    f[F_Y2] = y2l;
    f[F_Y2 + 1] = y2r;
  }
}

/** Reduction (dB) a band peak past the threshold asks for: (level − T)·(1 − 1/ratio), at most `range`. */
function targetOf(peak: number, T: number, range: number): number {
  const t = (DB_PER_NEPER * deterministicLog(peak) - T) * NEG_SLOPE;
  return t > 0 ? (t < range ? t : range) : 0;
}

/** The threshold as a linear peak: sub-block peaks at or below it need no logarithm. */
function thresholdLin(T: number): number {
  return deterministicExp(T * NEPER_PER_DB);
}
