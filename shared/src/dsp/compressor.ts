import type { CompressorSettings, Decibels, Ratio } from '../model/MixState.ts';
import { TRACK_SPEC } from '../model/TrackSpec.ts';
import { checkParamsObject, checkSampleRate, clampSettings } from './clampParam.ts';
import { COMPRESSOR_SLOT, COMPRESSOR_STATE_SLOTS, type CompressorStateSlot } from './compressorState.ts';
import { deterministicExp } from './deterministicExp.ts';
import { deterministicLog } from './deterministicLog.ts';
import { DspParamError } from './DspParamError.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';

export const COMPRESSOR_DETECTORS = ['peak', 'rms'] as const;
export type CompressorDetector = (typeof COMPRESSOR_DETECTORS)[number];

/**
 * Feed-forward compressor settings: the model's compressor section (model/CompressorSpec.ts)
 * plus the detector. Values are clamped to the track compressor's ranges (the master glue's
 * lie inside them). `attack` and `release` are time constants τ: a step reaches 63.2 %
 * (1 - 1/e) in τ.
 */
export interface CompressorParams extends CompressorSettings {
  /** 'peak': |x| per sample; 'rms': mean square over a 10 ms (τ) window. */
  detector: CompressorDetector;
}

/**
 * {@link CompressorProcessor.steadyState}: state and constants of the steady-state path.
 * Per sample (peak detector): peak = b + 0.5·(d + |d|) with a, b = |x_L|, |x_R|, d = a − b;
 * past kneeStart, target = gainReduction(dbPerNeper·deterministicLog(peak), threshold,
 * knee, halfKnee, negSlope, kneeCoef) (rms: ms = rmsCoef·ms + (1 − rmsCoef)·0.5·(a² + b²),
 * flushed below 1e-30, and 0.5·dbPerNeper·log(ms) past kneeStartSq); then
 * gr = c·gr + (1 − c)·target (attack coefficients when target > gr), flushed to 0 unless
 * 1e-9 <= gr < 1e4; gain = gr === 0 ? makeupLin : deterministicExp((makeupDb − gr)·neperPerDb).
 */
export type CompressorSteadyState = { readonly [K in CompressorStateSlot]: number };

/** RMS detector averaging time constant. */
export const COMPRESSOR_RMS_SECONDS = 0.01;

/** Samples per pass of the steady-state loop (bounds the work buffer). */
const COMPRESSOR_CHUNK = 256;
const DB_PER_NEPER = 20 / Math.LN10; // dB = DB_PER_NEPER · ln(amplitude)
const NEPER_PER_DB = Math.LN10 / 20;
/** Reductions below this (dB) are flushed to 0; at or above the ceiling they are invalid (NaN, ∞ input). */
const GR_FLOOR = 1e-9;
const GR_CEIL = 1e4;
/** RMS mean squares below this are flushed to 0; a NaN or infinite one (from such an input sample) too. */
const MS_FLOOR = 1e-30;
const MS_CEIL = Number.MAX_VALUE;

// Work buffers of one chunk of processSteady, shared by all instances (nothing survives a
// chunk, and a JS realm runs one at a time). Module-level typed arrays cost V8 fewer checks
// per access than ones reached through \`this\`.
/** Per-chunk target gain reduction per sample (dB). */
const TARGETS = new Float64Array(COMPRESSOR_CHUNK);
/** Per-chunk detector values (peak or mean square). */
const LEVELS = new Float64Array(COMPRESSOR_CHUNK);
/** Indices (within the chunk) of the samples past the knee's start. */
const ABOVE = new Int32Array(COMPRESSOR_CHUNK);
/** The current chunk's smoothing coefficients: release a, 1 − a, then the attack's. */
const SMOOTH = new Float64Array(4);

// Slots of CompressorProcessor.f: the state block of compressorState.ts (audio state, then
// the constants of the current curve), then the meter's peak.
const F_GR = COMPRESSOR_SLOT.gainReduction;
const F_MS = COMPRESSOR_SLOT.meanSquare;
/** The gain computer: threshold, knee width and half width (dB), −slope = 1 − 1/ratio, −slope/(2W). */
const F_T = COMPRESSOR_SLOT.threshold;
const F_W = COMPRESSOR_SLOT.knee;
const F_HALF_W = COMPRESSOR_SLOT.halfKnee;
const F_NEG_SLOPE = COMPRESSOR_SLOT.negSlope;
const F_KNEE_COEF = COMPRESSOR_SLOT.kneeCoef;
const F_KNEE_START = COMPRESSOR_SLOT.kneeStart;
const F_KNEE_START_SQ = COMPRESSOR_SLOT.kneeStartSq;
const F_MAKEUP_DB = COMPRESSOR_SLOT.makeupDb;
const F_MAKEUP_LIN = COMPRESSOR_SLOT.makeupLin;
/** Four slots: release coefficient a, 1 − a, then the attack's. */
const F_SMOOTH = COMPRESSOR_SLOT.releaseCoef;
const F_RMS_COEF = COMPRESSOR_SLOT.rmsCoef;
const F_GR_PEAK = COMPRESSOR_STATE_SLOTS.length;
const F_SIZE = F_GR_PEAK + 1;

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
 *
 * Logarithms and exponentials are {@link deterministicLog} / {@link deterministicExp}
 * (plain IEEE arithmetic), never `Math.log`/`Math.exp`: the browser worklet and the server
 * bake then compute the same doubles in any JS engine, and they are inlined (V8 calls out
 * to C for `Math.log`), which made the kernel several times faster.
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
  /**
   * Audio state (smoothed gain reduction dB >= 0, RMS mean square, meter peak) and the
   * steady-state constants, in a Float64Array: V8 then keeps every value the sample
   * loops touch as an unboxed double (a field or a parameter that may hold a small
   * integer is re-checked and re-converted at each use inside a loop, and a loop variable
   * merged with such a value gets boxed into a heap number every iteration).
   */
  private readonly f = new Float64Array(F_SIZE);

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.rmsCoef = deterministicExp(-1 / (COMPRESSOR_RMS_SECONDS * sampleRate));
    this.f[COMPRESSOR_SLOT.dbPerNeper] = DB_PER_NEPER;
    this.f[COMPRESSOR_SLOT.neperPerDb] = NEPER_PER_DB;
    this.updateTimes();
    this.updateConstants();
  }

  setParams(p: Partial<CompressorParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<CompressorParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<CompressorParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    clampSettings(p, TRACK_SPEC.comp.params, next);
    if (p.detector !== undefined) {
      if (!(COMPRESSOR_DETECTORS as readonly string[]).includes(p.detector)) throw new DspParamError('detector', p.detector);
      next.detector = p.detector;
    }
    this.params = next;
    const apply = snap ? (r: LinearRamp, v: number) => r.snap(v) : (r: LinearRamp, v: number) => r.rampTo(v, this.rampFrames);
    apply(this.threshold, next.threshold);
    apply(this.ratio, next.ratio);
    apply(this.knee, next.knee);
    apply(this.makeup, next.makeup);
    this.fresh = false;
    this.updateTimes();
    this.updateConstants();
  }

  private updateTimes(): void {
    this.attackCoef = deterministicExp(-1 / (this.params.attack * this.sampleRate));
    this.releaseCoef = deterministicExp(-1 / (this.params.release * this.sampleRate));
  }

  /** The steady-state constants from the ramps' current values (the targets once settled). */
  private updateConstants(): void {
    const f = this.f;
    const W = this.knee.value;
    const makeupDb = this.makeup.value;
    setCurve(f, this.threshold.value, this.ratio.value, W);
    f[F_MAKEUP_DB] = makeupDb;
    f[F_MAKEUP_LIN] = deterministicExp(makeupDb * NEPER_PER_DB);
    f[F_SMOOTH] = this.releaseCoef;
    f[F_SMOOTH + 1] = 1 - this.releaseCoef;
    f[F_SMOOTH + 2] = this.attackCoef;
    f[F_SMOOTH + 3] = 1 - this.attackCoef;
    f[F_RMS_COEF] = this.rmsCoef;
  }

  getParams(): Readonly<CompressorParams> {
    return this.params;
  }

  reset(): void {
    this.f[F_GR] = 0;
    this.f[F_MS] = 0;
    this.f[F_GR_PEAK] = 0;
    this.threshold.snap(this.params.threshold);
    this.ratio.snap(this.params.ratio);
    this.knee.snap(this.params.knee);
    this.makeup.snap(this.params.makeup);
    this.fresh = true;
    this.updateConstants();
  }

  /**
   * The audio state and the steady-state constants processSteady uses, for a transcription
   * of the kernel into another language (the bake's WebAssembly strip chains,
   * shared/src/dsp/compressor.as.ts) that must compute the same doubles. Valid while no
   * parameter ramps.
   */
  steadyState(): CompressorSteadyState {
    return Object.fromEntries(COMPRESSOR_STATE_SLOTS.map((name, i) => [name, this.f[i]!])) as CompressorSteadyState;
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
      this.updateConstants();
    }
    for (; i < frames; i += COMPRESSOR_CHUNK) {
      this.processSteady(d0, d1, in0, in1, out0, out1, stereo, i, Math.min(frames, i + COMPRESSOR_CHUNK));
    }
  }

  /**
   * The sample-by-sample path while parameters ramp. Returns the index of the first sample
   * after the ramp's settling sample, from where {@link processSteady} takes over with
   * the same (target) values. Each sample gets exactly the arithmetic of processSteady
   * (same functions, same operation order), only with its own curve.
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
    const f = this.f;
    const rms = this.params.detector === 'rms';
    let ramping = true;
    let settle = false;
    let gr = f[F_GR]!;
    let ms = f[F_MS]!;
    let grPeak = f[F_GR_PEAK]!;
    let i = 0;
    for (; i < frames && (ramping || settle); i++) {
      // While ramping use each sample's ramp value; one sample after the end, the targets.
      setCurve(f, this.threshold.next(), this.ratio.next(), this.knee.next());
      const makeupDb = this.makeup.next();
      const makeupLin = deterministicExp(makeupDb * NEPER_PER_DB);
      settle = ramping;
      ramping = this.threshold.ramping || this.ratio.ramping || this.knee.ramping || this.makeup.ramping;
      if (ramping) settle = false;
      let target = 0;
      if (rms) {
        const a = d0[i]!;
        const b = d1[i]!;
        ms = f[F_RMS_COEF]! * ms + (1 - f[F_RMS_COEF]!) * 0.5 * (a * a + b * b);
        if (!(ms >= MS_FLOOR && ms <= MS_CEIL)) ms = 0;
        if (ms > f[F_KNEE_START_SQ]!) target = gainReduction(0.5 * DB_PER_NEPER * deterministicLog(ms), f[F_T]!, f[F_W]!, f[F_HALF_W]!, f[F_NEG_SLOPE]!, f[F_KNEE_COEF]!);
      } else {
        const peak = larger(Math.abs(d0[i]!), Math.abs(d1[i]!));
        if (peak > f[F_KNEE_START]!) target = gainReduction(DB_PER_NEPER * deterministicLog(peak), f[F_T]!, f[F_W]!, f[F_HALF_W]!, f[F_NEG_SLOPE]!, f[F_KNEE_COEF]!);
      }
      const up = 2 * +(target > gr);
      gr = f[F_SMOOTH + up]! * gr + f[F_SMOOTH + up + 1]! * target;
      if (!(gr >= GR_FLOOR && gr < GR_CEIL)) gr = 0;
      if (gr > grPeak) grPeak = gr;
      const g = gr === 0 ? makeupLin : deterministicExp((makeupDb - gr) * NEPER_PER_DB);
      out0[i] = in0[i]! * g;
      if (stereo) out1[i] = in1[i]! * g;
    }
    f[F_GR] = gr;
    f[F_MS] = ms;
    f[F_GR_PEAK] = grPeak;
    return i;
  }

  /**
   * Samples [from, to) (at most {@link COMPRESSOR_CHUNK}) with constant parameters, in
   * passes over the chunk: the detector (listing the samples past the knee's start), the
   * gain computer for the listed samples only (their logarithms are independent, so they
   * overlap in the CPU), then the one-pole smoothing (the only recursion) with each
   * sample's gain, whose exponential nothing later waits for. Choices that depend on the
   * signal (attack or release, which channel is louder, where on the knee a level lies,
   * which samples need a logarithm) index small tables with a 0/1 comparison result or
   * use x + |x| = 2·max(x, 0) instead of branching: noise-like audio makes such branches
   * unpredictable, and a misprediction costs more than the arithmetic.
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
    const f = this.f;
    const buf = TARGETS;
    const lvl = LEVELS;
    const idx = ABOVE;
    const n = to - from;
    const T = f[F_T]!;
    const W = f[F_W]!;
    const halfW = f[F_HALF_W]!;
    const negSlope = f[F_NEG_SLOPE]!;
    const kneeCoef = f[F_KNEE_COEF]!;
    // Pass 1: detector value per sample; list the samples past the knee's start.
    let count = 0;
    if (this.params.detector === 'rms') {
      const kneeStartSq = f[F_KNEE_START_SQ]!;
      const rc = f[F_RMS_COEF]!;
      let ms = f[F_MS]!;
      for (let j = 0; j < n; j++) {
        const a = d0[from + j]!;
        const b = d1[from + j]!;
        ms = rc * ms + (1 - rc) * 0.5 * (a * a + b * b);
        if (!(ms >= MS_FLOOR && ms <= MS_CEIL)) ms = 0;
        lvl[j] = ms;
        buf[j] = 0;
        idx[count] = j;
        count += +(ms > kneeStartSq);
      }
      f[F_MS] = ms;
      // Pass 2: gain computer on 0.5·ln(mean square) in dB.
      for (let m = 0; m < count; m++) {
        const j = idx[m]!;
        buf[j] = gainReduction(0.5 * DB_PER_NEPER * deterministicLog(lvl[j]!), T, W, halfW, negSlope, kneeCoef);
      }
    } else {
      const kneeStart = f[F_KNEE_START]!;
      let j = 0;
      // Two samples per iteration: V8 checks each array once per iteration, not per access.
      for (; j + 1 < n; j += 2) {
        const k = from + j;
        const p0 = larger(Math.abs(d0[k]!), Math.abs(d1[k]!));
        const p1 = larger(Math.abs(d0[k + 1]!), Math.abs(d1[k + 1]!));
        lvl[j] = p0;
        lvl[j + 1] = p1;
        buf[j] = 0;
        buf[j + 1] = 0;
        idx[count] = j;
        count += +(p0 > kneeStart);
        idx[count] = j + 1;
        count += +(p1 > kneeStart);
      }
      for (; j < n; j++) {
        const peak = larger(Math.abs(d0[from + j]!), Math.abs(d1[from + j]!));
        lvl[j] = peak;
        buf[j] = 0;
        idx[count] = j;
        count += +(peak > kneeStart);
      }
      // Pass 2: gain computer on ln(peak) in dB.
      for (let m = 0; m < count; m++) {
        const j = idx[m]!;
        buf[j] = gainReduction(DB_PER_NEPER * deterministicLog(lvl[j]!), T, W, halfW, negSlope, kneeCoef);
      }
    }
    // Pass 3: the branching one-pole and the gain. F_SMOOTH + 2 holds the attack
    // coefficients (target above the current reduction), F_SMOOTH the release ones.
    const makeupDb = f[F_MAKEUP_DB]!;
    const makeupLin = f[F_MAKEUP_LIN]!;
    const sm = SMOOTH;
    sm[0] = f[F_SMOOTH]!;
    sm[1] = f[F_SMOOTH + 1]!;
    sm[2] = f[F_SMOOTH + 2]!;
    sm[3] = f[F_SMOOTH + 3]!;
    let gr = f[F_GR]!;
    let grPeak = f[F_GR_PEAK]!;
    if (count === 0 && gr === 0) {
      // Nothing past the knee and no reduction left: the one-pole stays at exactly 0
      // (0·a + 0·(1 − a) = 0) and every gain is makeupLin, so skip the recursion.
      if (makeupLin === 1 && in0 === out0 && in1 === out1) return;
      for (let j = 0; j < n; j++) {
        const x0 = in0[from + j]!;
        const x1 = in1[from + j]!;
        out0[from + j] = x0 * makeupLin;
        out1[from + j] = x1 * makeupLin;
      }
      return;
    }
    if (in0 === out0 && in1 === out1) {
      for (let j = 0; j < n; j++) {
        const target = buf[j]!;
        const up = 2 * +(target > gr);
        gr = sm[up]! * gr + sm[up + 1]! * target;
        if (!(gr >= GR_FLOOR && gr < GR_CEIL)) gr = 0;
        if (gr > grPeak) grPeak = gr;
        const g = gr === 0 ? makeupLin : deterministicExp((makeupDb - gr) * NEPER_PER_DB);
        const x0 = out0[from + j]!;
        const x1 = out1[from + j]!;
        out0[from + j] = x0 * g;
        out1[from + j] = x1 * g;
      }
      f[F_GR] = gr;
      f[F_GR_PEAK] = grPeak;
      return;
    }
    for (let j = 0; j < n; j++) {
      const target = buf[j]!;
      const up = 2 * +(target > gr);
      gr = sm[up]! * gr + sm[up + 1]! * target;
      // Per-sample (not per-block) flush keeps the output independent of block size; it
      // also drops a NaN or infinite reduction (an infinite or NaN input sample).
      if (!(gr >= GR_FLOOR && gr < GR_CEIL)) gr = 0;
      if (gr > grPeak) grPeak = gr;
      // The gain: nothing later depends on it, so the CPU overlaps it with the recursion.
      const g = gr === 0 ? makeupLin : deterministicExp((makeupDb - gr) * NEPER_PER_DB);
      // Both reads before the writes: in mono, in1/out1 are in0/out0 (possibly in place).
      const x0 = in0[from + j]!;
      const x1 = in1[from + j]!;
      out0[from + j] = x0 * g;
      out1[from + j] = x1 * g;
    }
    f[F_GR] = gr;
    f[F_GR_PEAK] = grPeak;
  }
}

/** Writes the gain computer's constants for threshold T, ratio, knee W (dB) into `f`. */
function setCurve(f: Float64Array, T: number, ratio: number, W: number): void {
  const negSlope = 1 - 1 / ratio;
  f[F_T] = T;
  f[F_W] = W;
  f[F_HALF_W] = W / 2;
  f[F_NEG_SLOPE] = negSlope;
  f[F_KNEE_COEF] = W > 0 ? negSlope / (2 * W) : 0;
  const kneeStart = deterministicExp((T - W / 2) * NEPER_PER_DB);
  f[F_KNEE_START] = kneeStart;
  f[F_KNEE_START_SQ] = kneeStart * kneeStart;
}

/**
 * Gain reduction (dB, >= 0) for a level in dB: {@link compressorCurve} without branches
 * (x + |x| is exactly 2·max(x, 0)). With over = level − T: 0 below the knee, the quadratic
 * −slope·t²/(2W) with t = over + W/2 clamped to [0, W] inside it, plus the straight line's
 * part above it, −slope·max(over − W/2, 0). kneeCoef = −slope/(2W) (0 for a hard knee).
 * shared/src/dsp/compressor.as.ts transcribes this operation for operation: change both.
 */
function gainReduction(level: number, T: number, W: number, halfW: number, negSlope: number, kneeCoef: number): number {
  const over = level - T;
  const a = over + halfW;
  const b = a - W;
  const c = over - halfW;
  const t = 0.5 * (a + Math.abs(a)) - 0.5 * (b + Math.abs(b));
  return kneeCoef * t * t + negSlope * (0.5 * (c + Math.abs(c)));
}

/**
 * max(a, b) for a, b >= 0 without a branch: b + max(a − b, 0). Exact whenever a − b is
 * (always for float32 samples within 2^29 of each other); NaN in gives NaN.
 */
function larger(a: number, b: number): number {
  const d = a - b;
  return b + 0.5 * (d + Math.abs(d));
}
