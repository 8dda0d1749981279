import type { Decibels, DeesserSettings } from '../model/MixState.ts';
import { DEESSER_MODES, DEESSER_SPEC } from '../model/DeesserSpec.ts';
import { BiquadProcessor } from './biquad.ts';
import { checkFlag, checkParamsObject, checkSampleRate, clampSettings } from './clampParam.ts';
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
/** Samples per pass: the band is filtered a chunk at a time into preallocated buffers. */
const CHUNK = 256;
// Work buffers of one chunk's passes, shared by all instances (nothing survives a chunk).
/** Linked band peak per sample. */
const LEVELS = new Float64Array(CHUNK);
/** Target reduction (dB) per sample. */
const TARGETS = new Float64Array(CHUNK);
/** Chunk indices of the samples past the threshold. */
const ABOVE = new Int32Array(CHUNK);
/** Release coefficient a, 1 − a, then the attack's. */
const SMOOTH = new Float64Array(4);
// Slots of DeesserProcessor.f, laid out by deesserState.ts, which the bake's WebAssembly twin reads too.
const F_GR = DEESSER_SLOT.gainReduction; // smoothed gain reduction, dB >= 0
const F_GR_PEAK = DEESSER_SLOT.grPeak; // meter: largest reduction since the last reading
const F_THR_LIN = DEESSER_SLOT.thresholdLin; // the threshold as a linear peak

/**
 * {@link DeesserProcessor.steadyState}: the state block by name (deesserState.ts), for the
 * bake's WebAssembly transcription.
 */
export type DeesserSteadyState = { readonly [K in DeesserStateSlot]: number };

const DEFAULT_DEESS: DeesserParams = { mode: 'split', freq: 6000, threshold: -30, range: 6, listen: false };

/**
 * Split-band de-esser, stereo-linked, no lookahead (latency 0).
 *
 * The band b is the input through a band-pass centred on `freq` (the spec's biquad,
 * {@link BiquadProcessor}, so a `freq` change ramps exactly as a native filter's would).
 * Its peak (the larger |b| of the channels) drives a hard-knee gain computer in dB
 * ({@link deesserCurve}); the reduction gr is smoothed in dB by a branching one-pole
 * (attack τ while it grows, release τ while it shrinks), and g = 10^(−gr/20). The output is
 *
 *   y = x + (g − 1)·s,  s = b ('split': the band alone is turned down) or s = x ('wide').
 *
 * In split mode the band-pass and its complement x − b (a notch) form an IIR crossover that
 * sums back to x, and only the band is turned down: y = (x − b) + g·b, which is a peaking cut
 * of gr dB at `freq` (the band-pass has gain 1 and phase 0 there). Far below the band, b is
 * small and in quadrature with x, so the vowels change by hundredths of a dB at most. With
 * no reduction (g = 1 exactly: gr is flushed to 0 below 1e-9 dB) y = x + 0·s is the input
 * bit for bit.
 * Levels use {@link deterministicLog}, as the compressor does, and the gain {@link gainExp}
 * (a short series with no table: the reduction is at most 24 dB, and the per-sample
 * exponential was half the bake's cost of a de-esser), so the browser worklet and the bake
 * compute the same doubles. `listen` outputs b instead.
 * Threshold, range, mode (split/wide) and listen ramp over the usual 10 ms.
 */
export class DeesserProcessor implements DspProcessor<DeesserParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: DeesserParams = { ...DEFAULT_DEESS };
  private readonly bandpass: BiquadProcessor;
  private readonly threshold = new LinearRamp(DEFAULT_DEESS.threshold);
  private readonly range = new LinearRamp(DEFAULT_DEESS.range);
  /** 0 = split, 1 = wide. */
  private readonly wide = new LinearRamp(0);
  /** 0 = the de-essed signal, 1 = the band alone. */
  private readonly listen = new LinearRamp(0);
  private readonly attackCoef: number;
  private readonly releaseCoef: number;
  private readonly rampFrames: number;
  private fresh = true;
  /** Smoothed gain reduction (dB), its meter peak, the threshold as a linear peak (deesserState.ts). */
  private readonly f = new Float64Array(DEESSER_STATE_SLOTS.length);
  private readonly bandL = new Float32Array(CHUNK);
  private readonly bandR = new Float32Array(CHUNK);
  private readonly inL = new Float32Array(CHUNK);
  private readonly inR = new Float32Array(CHUNK);
  private readonly mono: { input: Float32Array[]; band: Float32Array[] };
  private readonly stereo: { input: Float32Array[]; band: Float32Array[] };

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.attackCoef = deterministicExp(-1 / (DEESSER_ATTACK_SECONDS * sampleRate));
    this.releaseCoef = deterministicExp(-1 / (DEESSER_RELEASE_SECONDS * sampleRate));
    this.bandpass = new BiquadProcessor(sampleRate);
    this.mono = { input: [this.inL], band: [this.bandL] };
    this.stereo = { input: [this.inL, this.inR], band: [this.bandL, this.bandR] };
    this.applyFilters();
    this.f[F_THR_LIN] = thresholdLin(DEFAULT_DEESS.threshold);
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
    if (this.fresh) this.bandpass.reset();
    const apply = snap ? (r: LinearRamp, v: number) => r.snap(v) : (r: LinearRamp, v: number) => r.rampTo(v, this.rampFrames);
    apply(this.threshold, next.threshold);
    apply(this.range, next.range);
    apply(this.wide, next.mode === 'wide' ? 1 : 0);
    apply(this.listen, next.listen ? 1 : 0);
    this.applyFilters(snap);
    this.fresh = false;
    this.f[F_THR_LIN] = thresholdLin(this.threshold.value);
  }

  private applyFilters(snap = false): void {
    const band = { type: 'bandpass', frequency: this.params.freq, Q: DEESSER_BAND_Q } as const;
    if (snap) this.bandpass.snapParams(band);
    else this.bandpass.setParams(band);
  }

  getParams(): Readonly<DeesserParams> {
    return this.params;
  }

  reset(): void {
    this.f[F_GR] = 0;
    this.f[F_GR_PEAK] = 0;
    this.bandpass.reset();
    this.threshold.snap(this.params.threshold);
    this.range.snap(this.params.range);
    this.wide.snap(this.params.mode === 'wide' ? 1 : 0);
    this.listen.snap(this.params.listen ? 1 : 0);
    // The filter snaps too: their first setParams after a reset applies at once.
    this.applyFilters();
    this.f[F_THR_LIN] = thresholdLin(this.params.threshold);
    this.fresh = true;
  }

  /**
   * The state block (audio state and settled constants) the steady path runs on, for a
   * transcription of the kernel that must compute the same doubles (the bake's strip
   * chains). Valid while no parameter ramps and `listen` is off.
   */
  steadyState(): DeesserSteadyState {
    const f = this.f;
    const c = this.bandpass.coefficients;
    const [x1L, x2L, y1L, y2L] = this.bandpass.history(0);
    const [x1R, x2R, y1R, y2R] = this.bandpass.history(1);
    const state: DeesserSteadyState = {
      gainReduction: f[F_GR]!,
      grPeak: f[F_GR_PEAK]!,
      x1L,
      x1R,
      x2L,
      x2R,
      y1L,
      y1R,
      y2L,
      y2R,
      thresholdLin: f[F_THR_LIN]!,
      threshold: this.threshold.value,
      range: this.range.value,
      wide: this.wide.value,
      releaseCoef: this.releaseCoef,
      releaseComplement: 1 - this.releaseCoef,
      attackCoef: this.attackCoef,
      attackComplement: 1 - this.attackCoef,
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

  /** Gain reduction (dB, >= 0) applied to the last processed sample. */
  get gainReductionDb(): Decibels {
    return this.f[F_GR]!;
  }

  /** Largest gain reduction (dB, >= 0) since the previous call: what a meter shows. */
  takeGainReductionPeak(): Decibels {
    const p = this.f[F_GR_PEAK]!;
    this.f[F_GR_PEAK] = this.f[F_GR]!;
    return p;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    if (channels === 0) return;
    const io = channels > 1 ? this.stereo : this.mono;
    const in0 = inputs[0]!;
    const in1 = channels > 1 ? inputs[1]! : in0;
    const out0 = outputs[0]!;
    const out1 = channels > 1 ? outputs[1]! : out0;
    for (let from = 0; from < frames; from += CHUNK) {
      const n = Math.min(CHUNK, frames - from);
      // The band of this chunk (the filters read from index 0: copy the chunk in first).
      const inL = this.inL;
      const inR = this.inR;
      for (let j = 0; j < n; j++) inL[j] = in0[from + j]!;
      if (channels > 1) for (let j = 0; j < n; j++) inR[j] = in1[from + j]!;
      this.bandpass.process(io.input, io.band, n);
      this.run(in0, in1, out0, out1, channels > 1, from, n);
    }
  }

  /**
   * Samples [from, from + n) of the block (their band is in bandL/R[0..n)): the per-sample
   * path while a parameter ramps (and for the sample after), then passes over the rest as
   * the compressor does: the linked peaks, listing the samples past the threshold; their
   * targets (independent logarithms, which the CPU overlaps); the one-pole and the output.
   * Both paths use the same expressions, so a sample's value never depends on which ran it.
   */
  private run(in0: Float32Array, in1: Float32Array, out0: Float32Array, out1: Float32Array, stereo: boolean, from: number, n: number): void {
    const ramping = this.threshold.ramping || this.range.ramping || this.wide.ramping || this.listen.ramping;
    const start = ramping ? this.runRamping(in0, in1, out0, out1, stereo, from, n) : 0;
    if (start < n) this.runSteady(in0, in1, out0, out1, stereo, from, start, n);
  }

  /** Per-sample values while ramping; returns the chunk index after the settling sample. */
  private runRamping(in0: Float32Array, in1: Float32Array, out0: Float32Array, out1: Float32Array, stereo: boolean, from: number, n: number): number {
    const f = this.f;
    const b0 = this.bandL;
    const b1 = stereo ? this.bandR : this.bandL;
    let gr = f[F_GR]!;
    let grPeak = f[F_GR_PEAK]!;
    let thrLin = f[F_THR_LIN]!;
    let ramping = true;
    let settle = false;
    const ac = this.attackCoef;
    const rc = this.releaseCoef;
    let j = 0;
    for (; j < n && (ramping || settle); j++) {
      // While ramping each sample has its own values; one sample after the end, the targets.
      const T = this.threshold.next();
      const range = this.range.next();
      const w = this.wide.next();
      const l = this.listen.next();
      thrLin = thresholdLin(T);
      settle = ramping;
      ramping = this.threshold.ramping || this.range.ramping || this.wide.ramping || this.listen.ramping;
      if (ramping) settle = false;
      const bl = b0[j]!;
      const br = b1[j]!;
      const peak = larger(Math.abs(bl), Math.abs(br));
      const target = peak > thrLin ? targetOf(peak, T, range) : 0;
      const c = target > gr ? ac : rc;
      gr = c * gr + (1 - c) * target;
      if (!(gr >= GR_FLOOR)) gr = 0;
      if (gr > grPeak) grPeak = gr;
      const gm1 = gr === 0 ? 0 : gainExp(-gr * NEPER_PER_DB) - 1;
      const k = from + j;
      // Both reads before the writes: in mono, in1/out1 are in0/out0 (possibly in place).
      const xl = in0[k]!;
      const xr = in1[k]!;
      let yl: number;
      let yr: number;
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
      if (l === 1) {
        yl = bl;
        yr = br;
      } else if (l !== 0) {
        yl = yl + l * (bl - yl);
        yr = yr + l * (br - yr);
      }
      out0[k] = yl;
      out1[k] = yr;
    }
    f[F_GR] = gr;
    f[F_GR_PEAK] = grPeak;
    f[F_THR_LIN] = thrLin;
    return j;
  }

  /** Chunk indices [start, n) with settled parameters (mode and listen exactly 0 or 1). */
  private runSteady(in0: Float32Array, in1: Float32Array, out0: Float32Array, out1: Float32Array, stereo: boolean, from: number, start: number, n: number): void {
    const f = this.f;
    const b0 = this.bandL;
    const b1 = stereo ? this.bandR : this.bandL;
    const lvl = LEVELS;
    const tgt = TARGETS;
    const idx = ABOVE;
    const thrLin = f[F_THR_LIN]!;
    const T = this.threshold.value;
    const range = this.range.value;
    // Pass 1: linked peaks; list the samples past the threshold.
    let count = 0;
    for (let j = start; j < n; j++) {
      const peak = larger(Math.abs(b0[j]!), Math.abs(b1[j]!));
      lvl[j] = peak;
      tgt[j] = 0;
      idx[count] = j;
      count += +(peak > thrLin);
    }
    // Pass 2: their targets.
    for (let m = 0; m < count; m++) {
      const j = idx[m]!;
      tgt[j] = targetOf(lvl[j]!, T, range);
    }
    // Pass 3: the one-pole (attack coefficients when the target is above the reduction) and the output.
    const sm = SMOOTH;
    sm[0] = this.releaseCoef;
    sm[1] = 1 - this.releaseCoef;
    sm[2] = this.attackCoef;
    sm[3] = 1 - this.attackCoef;
    let gr = f[F_GR]!;
    let grPeak = f[F_GR_PEAK]!;
    const split = this.wide.value === 0;
    const listen = this.listen.value === 1;
    const idle = count === 0 && gr === 0;
    for (let j = start; j < n; j++) {
      let gm1 = 0;
      if (!idle) {
        const target = tgt[j]!;
        const up = 2 * +(target > gr);
        gr = sm[up]! * gr + sm[up + 1]! * target;
        if (!(gr >= GR_FLOOR)) gr = 0;
        if (gr > grPeak) grPeak = gr;
        gm1 = gr === 0 ? 0 : gainExp(-gr * NEPER_PER_DB) - 1;
      }
      const k = from + j;
      const bl = b0[j]!;
      const br = b1[j]!;
      const xl = in0[k]!;
      const xr = in1[k]!;
      if (listen) {
        out0[k] = bl;
        out1[k] = br;
      } else if (split) {
        out0[k] = xl + gm1 * bl;
        out1[k] = xr + gm1 * br;
      } else {
        out0[k] = xl + gm1 * xl;
        out1[k] = xr + gm1 * xr;
      }
    }
    f[F_GR] = gr;
    f[F_GR_PEAK] = grPeak;
  }
}

/** Reduction (dB) a band peak past the threshold asks for: (level − T)·(1 − 1/ratio), at most `range`. */
function targetOf(peak: number, T: number, range: number): number {
  const t = (DB_PER_NEPER * deterministicLog(peak) - T) * NEG_SLOPE;
  return t > 0 ? (t < range ? t : range) : 0;
}

/** max(a, b) for a, b >= 0 without a branch (as the compressor's): b + max(a − b, 0). */
function larger(a: number, b: number): number {
  const d = a - b;
  return b + 0.5 * (d + Math.abs(d));
}

/** The threshold as a linear peak: samples at or below it need no logarithm. */
function thresholdLin(T: number): number {
  return deterministicExp(T * NEPER_PER_DB);
}
