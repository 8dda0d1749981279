import type { Decibels, Ratio, Seconds } from '../model/MixState.ts';
import { checkParamsObject, checkSampleRate, clampParam } from './clampParam.ts';
import { DspParamError } from './DspParamError.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';

export const COMPRESSOR_DETECTORS = ['peak', 'rms'] as const;
export type CompressorDetector = (typeof COMPRESSOR_DETECTORS)[number];

/**
 * Feed-forward compressor settings. Ranges (values outside are clamped): threshold
 * [-80, 0] dB, ratio [1, 100], attack [0.05 ms, 1 s], release [1 ms, 5 s], knee [0, 36] dB,
 * makeup [-24, +36] dB.
 */
export interface CompressorParams {
  threshold: Decibels;
  ratio: Ratio;
  /** Time constant τ of the gain-reduction attack: a step reaches 63.2 % (1 - 1/e) in τ. */
  attack: Seconds;
  /** Time constant τ of the release, same definition. */
  release: Seconds;
  /** Soft-knee width centred on the threshold (0 = hard knee). */
  knee: Decibels;
  makeup: Decibels;
  /** 'peak': |x| per sample; 'rms': mean square over a 10 ms (τ) window. */
  detector: CompressorDetector;
}

/** RMS detector averaging time constant. */
export const COMPRESSOR_RMS_SECONDS = 0.01;

/** Samples per pass of the steady-state loop (bounds the work buffer). */
const COMPRESSOR_CHUNK = 256;
const DB_PER_NEPER = 20 / Math.LN10; // dB = DB_PER_NEPER · ln(amplitude)
const NEPER_PER_DB = Math.LN10 / 20;

/**
 * The compressor's static curve: output level for a steady input level (both dB), with the
 * quadratic soft knee of Giannoulis, Massberg & Reiss (JAES 2012).
 */
export function compressorCurve(input: Decibels, threshold: Decibels, ratio: Ratio, knee: Decibels): Decibels {
  const over = input - threshold;
  if (2 * over < -knee) return input;
  if (knee > 0 && 2 * Math.abs(over) <= knee) {
    const t = over + knee / 2;
    return input + ((1 / ratio - 1) * t * t) / (2 * knee);
  }
  return threshold + over / ratio;
}

const DEFAULT_COMP: CompressorParams = { threshold: -20, ratio: 4, attack: 0.01, release: 0.1, knee: 6, makeup: 0, detector: 'peak' };

/**
 * Stereo-linked feed-forward compressor. The detector reads the sidechain channels when
 * given (e.g. the kick ducking the bass), else the input; channels are linked (peak: the
 * largest |x| of all channels; rms: their mean square), so the stereo image never shifts.
 * The gain computer works in dB; the gain reduction is smoothed in dB by a branching
 * one-pole (attack coefficient while the reduction grows, release while it shrinks), so
 * attack/release are true first-order time constants. No lookahead: latency 0.
 */
export class CompressorProcessor implements DspProcessor<CompressorParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: CompressorParams = { ...DEFAULT_COMP };
  private readonly threshold = new LinearRamp(DEFAULT_COMP.threshold);
  private readonly ratio = new LinearRamp(DEFAULT_COMP.ratio);
  private readonly knee = new LinearRamp(DEFAULT_COMP.knee);
  private readonly makeup = new LinearRamp(DEFAULT_COMP.makeup);
  private attackCoef = 0;
  private releaseCoef = 0;
  private readonly rmsCoef: number;
  private readonly rampFrames: number;
  private fresh = true;
  /** Smoothed gain reduction in dB (>= 0). */
  private gr = 0;
  /** RMS detector mean square. */
  private ms = 0;
  private grPeak = 0;
  /** Per-chunk target gain reduction per sample (dB). */
  private readonly scratch = new Float64Array(COMPRESSOR_CHUNK);
  /** Per-chunk detector values (peak or mean square). */
  private readonly levels = new Float64Array(COMPRESSOR_CHUNK);
  /** Indices (within the chunk) of the samples past the knee's start. */
  private readonly above = new Int32Array(COMPRESSOR_CHUNK);
  /** Branch-free selection slots (see processSteady). */
  private readonly select = new Float64Array(2);
  private readonly smoothA = new Float64Array(2);
  private readonly smoothB = new Float64Array(2);

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.rmsCoef = Math.exp(-1 / (COMPRESSOR_RMS_SECONDS * sampleRate));
    this.updateTimes();
  }

  setParams(p: Partial<CompressorParams>): void {
    checkParamsObject(p);
    const next = { ...this.params };
    if (p.threshold !== undefined) next.threshold = clampParam('threshold', p.threshold, -80, 0);
    if (p.ratio !== undefined) next.ratio = clampParam('ratio', p.ratio, 1, 100);
    if (p.attack !== undefined) next.attack = clampParam('attack', p.attack, 0.00005, 1);
    if (p.release !== undefined) next.release = clampParam('release', p.release, 0.001, 5);
    if (p.knee !== undefined) next.knee = clampParam('knee', p.knee, 0, 36);
    if (p.makeup !== undefined) next.makeup = clampParam('makeup', p.makeup, -24, 36);
    if (p.detector !== undefined) {
      if (!(COMPRESSOR_DETECTORS as readonly string[]).includes(p.detector)) throw new DspParamError('detector', p.detector);
      next.detector = p.detector;
    }
    this.params = next;
    const apply = this.fresh ? (r: LinearRamp, v: number) => r.snap(v) : (r: LinearRamp, v: number) => r.rampTo(v, this.rampFrames);
    apply(this.threshold, next.threshold);
    apply(this.ratio, next.ratio);
    apply(this.knee, next.knee);
    apply(this.makeup, next.makeup);
    this.fresh = false;
    this.updateTimes();
  }

  private updateTimes(): void {
    this.attackCoef = Math.exp(-1 / (this.params.attack * this.sampleRate));
    this.releaseCoef = Math.exp(-1 / (this.params.release * this.sampleRate));
  }

  getParams(): Readonly<CompressorParams> {
    return this.params;
  }

  reset(): void {
    this.gr = 0;
    this.ms = 0;
    this.grPeak = 0;
    this.threshold.snap(this.params.threshold);
    this.ratio.snap(this.params.ratio);
    this.knee.snap(this.params.knee);
    this.makeup.snap(this.params.makeup);
    this.fresh = true;
  }

  /** Gain reduction (dB, >= 0) applied to the last processed sample. */
  get gainReductionDb(): Decibels {
    return this.gr;
  }

  /** Largest gain reduction (dB, >= 0) since the previous call: what a meter shows. */
  takeGainReductionPeak(): Decibels {
    const p = this.grPeak;
    this.grPeak = this.gr;
    return p;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number, sidechain?: readonly Float32Array[]): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    const det = sidechain !== undefined && sidechain.length > 0 ? sidechain : inputs;
    const d0 = det[0]!;
    const d1 = det.length > 1 ? det[1]! : d0;
    const in0 = inputs[0]!;
    const in1 = channels > 1 ? inputs[1]! : in0;
    const out0 = outputs[0]!;
    const out1 = channels > 1 ? outputs[1]! : out0;
    const stereo = channels > 1;
    let i = 0;
    // While a parameter ramps (and for one sample after), every sample has its own curve.
    if (this.threshold.ramping || this.ratio.ramping || this.knee.ramping || this.makeup.ramping) {
      i = this.processRamping(d0, d1, in0, in1, out0, out1, stereo, frames);
    }
    for (; i < frames; i += COMPRESSOR_CHUNK) {
      this.processSteady(d0, d1, in0, in1, out0, out1, stereo, i, Math.min(frames, i + COMPRESSOR_CHUNK));
    }
  }

  /**
   * The sample-by-sample path while parameters ramp. Returns the index of the first sample
   * after the ramp's settling sample, from where {@link processSteady} takes over with
   * the same (target) values.
   */
  private processRamping(
    d0: Float32Array,
    d1: Float32Array,
    in0: Float32Array,
    in1: Float32Array,
    out0: Float32Array,
    out1: Float32Array,
    stereo: boolean,
    frames: number,
  ): number {
    const rms = this.params.detector === 'rms';
    const aA = this.attackCoef;
    const aR = this.releaseCoef;
    const rc = this.rmsCoef;
    let ramping = true;
    let settle = false;
    let gr = this.gr;
    let ms = this.ms;
    let grPeak = this.grPeak;
    let i = 0;
    for (; i < frames && (ramping || settle); i++) {
      // While ramping use each sample's ramp value; one sample after the end, the targets.
      const T = this.threshold.next();
      const slope = 1 / this.ratio.next() - 1;
      const W = this.knee.next();
      const makeupDb = this.makeup.next();
      const kneeStart = Math.exp((T - W / 2) * NEPER_PER_DB);
      const kneeStartSq = kneeStart * kneeStart;
      const makeupLin = Math.exp(makeupDb * NEPER_PER_DB);
      settle = ramping;
      ramping = this.threshold.ramping || this.ratio.ramping || this.knee.ramping || this.makeup.ramping;
      if (ramping) settle = false;
      let target = 0;
      if (rms) {
        const a = d0[i]!;
        const b = d1[i]!;
        ms = rc * ms + (1 - rc) * 0.5 * (a * a + b * b);
        if (ms < 1e-30) ms = 0;
        if (ms > kneeStartSq) target = gainReduction(0.5 * DB_PER_NEPER * Math.log(ms), T, slope, W);
      } else {
        const a = Math.abs(d0[i]!);
        const b = Math.abs(d1[i]!);
        const peak = a > b ? a : b;
        if (peak > kneeStart) target = gainReduction(DB_PER_NEPER * Math.log(peak), T, slope, W);
      }
      gr = target > gr ? aA * gr + (1 - aA) * target : aR * gr + (1 - aR) * target;
      if (gr < 1e-9) gr = 0;
      if (gr > grPeak) grPeak = gr;
      const g = gr === 0 ? makeupLin : Math.exp((makeupDb - gr) * NEPER_PER_DB);
      out0[i] = in0[i]! * g;
      if (stereo) out1[i] = in1[i]! * g;
    }
    this.gr = gr;
    this.ms = ms;
    this.grPeak = grPeak;
    return i;
  }

  /**
   * Samples [from, to) (at most {@link COMPRESSOR_CHUNK}) with constant parameters, in
   * passes over the chunk: the detector (listing the samples past the knee's start), the
   * gain computer for the listed samples only (their logarithms are independent, so they
   * overlap in the CPU and no branch guards them), then the one-pole smoothing (the only
   * recursion) with each sample's gain, whose exponential nothing later waits for. Choices
   * that depend on the signal (attack or release, which channel is louder, which samples
   * need a logarithm) index small tables with a 0/1 comparison result instead of
   * branching: noise-like audio makes such branches unpredictable, and a misprediction
   * costs more than the arithmetic. Every sample gets exactly the arithmetic of
   * {@link processRamping}, so the output is bit-identical; only the evaluation order of
   * independent work changes.
   */
  private processSteady(
    d0: Float32Array,
    d1: Float32Array,
    in0: Float32Array,
    in1: Float32Array,
    out0: Float32Array,
    out1: Float32Array,
    stereo: boolean,
    from: number,
    to: number,
  ): void {
    const T = this.threshold.value;
    const slope = 1 / this.ratio.value - 1;
    const W = this.knee.value;
    const makeupDb = this.makeup.value;
    const kneeStart = Math.exp((T - W / 2) * NEPER_PER_DB);
    const makeupLin = Math.exp(makeupDb * NEPER_PER_DB);
    const buf = this.scratch;
    const lvl = this.levels;
    const idx = this.above;
    const sel = this.select;
    const n = to - from;
    // Pass 1: detector value per sample; list the samples past the knee's start.
    let count = 0;
    if (this.params.detector === 'rms') {
      const kneeStartSq = kneeStart * kneeStart;
      const rc = this.rmsCoef;
      let ms = this.ms;
      for (let j = 0; j < n; j++) {
        const a = d0[from + j]!;
        const b = d1[from + j]!;
        ms = rc * ms + (1 - rc) * 0.5 * (a * a + b * b);
        if (ms < 1e-30) ms = 0;
        lvl[j] = ms;
        buf[j] = 0;
        idx[count] = j;
        count += +(ms > kneeStartSq);
      }
      this.ms = ms;
      // Pass 2: gain computer on 0.5·ln(mean square) in dB.
      for (let m = 0; m < count; m++) {
        const j = idx[m]!;
        buf[j] = gainReduction(0.5 * DB_PER_NEPER * Math.log(lvl[j]!), T, slope, W);
      }
    } else {
      for (let j = 0; j < n; j++) {
        const a = Math.abs(d0[from + j]!);
        const b = Math.abs(d1[from + j]!);
        sel[0] = b;
        sel[1] = a;
        const peak = sel[+(a > b)]!;
        lvl[j] = peak;
        buf[j] = 0;
        idx[count] = j;
        count += +(peak > kneeStart);
      }
      // Pass 2: gain computer on ln(peak) in dB.
      for (let m = 0; m < count; m++) {
        const j = idx[m]!;
        buf[j] = gainReduction(DB_PER_NEPER * Math.log(lvl[j]!), T, slope, W);
      }
    }
    // Pass 3: the branching one-pole and the gain. Index 1 of the tables is the attack
    // (target above the current reduction), 0 the release.
    const ca = this.smoothA;
    const cb = this.smoothB;
    ca[0] = this.releaseCoef;
    ca[1] = this.attackCoef;
    cb[0] = 1 - this.releaseCoef;
    cb[1] = 1 - this.attackCoef;
    let gr = this.gr;
    let grPeak = this.grPeak;
    for (let j = 0; j < n; j++) {
      const target = buf[j]!;
      const up = +(target > gr);
      gr = ca[up]! * gr + cb[up]! * target;
      // Per-sample (not per-block) flush keeps the output independent of block size.
      if (gr < 1e-9) gr = 0;
      if (gr > grPeak) grPeak = gr;
      // The gain: nothing later depends on it, so the CPU overlaps it with the recursion.
      const g = gr === 0 ? makeupLin : Math.exp((makeupDb - gr) * NEPER_PER_DB);
      out0[from + j] = in0[from + j]! * g;
      if (stereo) out1[from + j] = in1[from + j]! * g;
    }
    this.gr = gr;
    this.grPeak = grPeak;
  }
}

/** Gain reduction (dB, >= 0) for a level in dB; `slope` = 1/ratio - 1 (<= 0). */
function gainReduction(level: number, T: number, slope: number, W: number): number {
  const over = level - T;
  if (2 * over < -W) return 0;
  if (W > 0 && 2 * over <= W) {
    const t = over + W / 2;
    return (-slope * t * t) / (2 * W);
  }
  return -slope * over;
}
