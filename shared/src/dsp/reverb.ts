import { REVERB_SPEC } from '../model/BusSpec.ts';
import type { ReverbState } from '../model/MixState.ts';
import { checkParamsObject, checkSampleRate, clampSettings } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';

/**
 * Reverb settings: the aux reverb's parameters (model/BusSpec.ts), clamped to their
 * ranges; damping also to 0.45 · sampleRate. decay: RT60 in seconds; damping: corner of
 * the in-loop high-frequency damping.
 */
export type ReverbParams = Omit<ReverbState, 'type'>;

/** Feedback delay lengths at 48 kHz (mutually prime, scaled to other rates). */
const LINE_DELAYS_48K = [1109, 1361, 1493, 1619, 1811, 1931, 2129, 2371] as const;
/** Input diffusion allpasses at 48 kHz and their coefficient. */
const DIFFUSER_DELAYS_48K = [142, 107, 379, 277] as const;
/** Coefficient of the input diffusion allpasses. */
export const REVERB_DIFFUSER_GAIN = 0.625;
const MAX_PRE_DELAY = REVERB_SPEC.preDelay.range.max;
/**
 * Output level. The lines are tapped with orthogonal sign patterns (in `process`):
 * L = + − + − + − + −, R = + + − − + + − −, so L and R are decorrelated.
 */
export const REVERB_OUT_GAIN = 0.35;

/**
 * A reverb's structure and coefficients, for transcriptions that must compute the same
 * samples (the bake's WebAssembly reverb), started from silence.
 */
export interface ReverbLayout {
  /** Feedback line lengths (frames) and their loop gains. */
  lineLengths: readonly number[];
  lineGains: readonly number[];
  /** The in-loop one-pole damping coefficient. */
  dampCoef: number;
  /** Diffuser allpass lengths (frames), in series order. */
  diffuserLengths: readonly number[];
  /** Pre-delay ring length and the delay (frames). */
  preDelayLength: number;
  preDelayFrames: number;
}

/**
 * Deterministic stereo algorithmic reverb (100 % wet, for an aux return): pre-delay, four
 * series Schroeder allpass diffusers, then an 8-line feedback delay network with an
 * orthogonal (normalised Hadamard) feedback matrix. Each line's loop gain is
 * 10^(−3·d/(RT60·fs)) so every path loses 60 dB in `decay` seconds; a one-pole low-pass
 * (unity at DC) in each line damps high frequencies faster, like air and soft walls.
 * No randomness, no modulation: two renders of the same input are identical.
 * Parameter changes take effect at the next sample (no ramp needed: they change loop
 * gains, not the signal level directly).
 */
export class ReverbProcessor implements DspProcessor<ReverbParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: ReverbParams = { decay: 2, preDelay: 0.02, damping: 8000 };
  private readonly lineLen: Int32Array;
  private readonly lines: Float32Array[];
  private readonly linePos = new Int32Array(8);
  private readonly lineGain = new Float64Array(8);
  private readonly lp = new Float64Array(8);
  private dampCoef = 0;
  private readonly diffusers: Float32Array[];
  private readonly diffPos = new Int32Array(4);
  private readonly pre: Float32Array;
  private prePos = 0;
  private preFrames = 0;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    const scale = sampleRate / 48000;
    this.lineLen = Int32Array.from(LINE_DELAYS_48K, (d) => Math.max(1, Math.round(d * scale)));
    this.lines = Array.from(this.lineLen, (n) => new Float32Array(n));
    this.diffusers = DIFFUSER_DELAYS_48K.map((d) => new Float32Array(Math.max(1, Math.round(d * scale))));
    this.pre = new Float32Array(Math.ceil(MAX_PRE_DELAY * sampleRate) + 1);
    this.setParams(this.params);
  }

  setParams(p: Partial<ReverbParams>): void {
    checkParamsObject(p);
    const next = { ...this.params };
    clampSettings(p, REVERB_SPEC, next, { damping: 0.45 * this.sampleRate });
    this.params = next;
    for (let i = 0; i < 8; i++) this.lineGain[i] = Math.pow(10, (-3 * this.lineLen[i]!) / (next.decay * this.sampleRate));
    this.dampCoef = Math.exp((-2 * Math.PI * next.damping) / this.sampleRate);
    this.preFrames = Math.round(next.preDelay * this.sampleRate);
  }

  /** Reverb params never ramp: the same as setParams. */
  snapParams(p: Partial<ReverbParams>): void {
    this.setParams(p);
  }

  getParams(): Readonly<ReverbParams> {
    return this.params;
  }

  /** The structure and current coefficients (see ReverbLayout). */
  layout(): ReverbLayout {
    return {
      lineLengths: [...this.lineLen],
      lineGains: [...this.lineGain],
      dampCoef: this.dampCoef,
      diffuserLengths: this.diffusers.map((d) => d.length),
      preDelayLength: this.pre.length,
      preDelayFrames: this.preFrames,
    };
  }

  reset(): void {
    for (const l of this.lines) l.fill(0);
    for (const d of this.diffusers) d.fill(0);
    this.pre.fill(0);
    this.linePos.fill(0);
    this.diffPos.fill(0);
    this.lp.fill(0);
    this.prePos = 0;
  }

  /**
   * The loops over diffusers, lines and Hadamard stages are written out with every state
   * value in a local: same operations in the same order as the per-line description in
   * the class comment (the ±1 output signs become + and −, which IEEE defines identically),
   * several times faster than indexing small arrays per sample.
   */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const in0 = inputs[0]!;
    const in1 = inputs.length > 1 ? inputs[1]! : in0;
    const out0 = outputs[0]!;
    const out1 = outputs.length > 1 ? outputs[1]! : null;
    const pre = this.pre;
    const preLen = pre.length;
    const preFrames = this.preFrames;
    const a = this.dampCoef;
    const norm = 1 / Math.sqrt(8);
    const G = REVERB_DIFFUSER_GAIN;
    const outGain = REVERB_OUT_GAIN;
    const df = this.diffusers;
    const dp = this.diffPos;
    const da = df[0]!;
    const db = df[1]!;
    const dc = df[2]!;
    const dd = df[3]!;
    const na = da.length;
    const nb = db.length;
    const nc = dc.length;
    const nd = dd.length;
    let pa = dp[0]!;
    let pb = dp[1]!;
    let pc = dp[2]!;
    let pd = dp[3]!;
    const lines = this.lines;
    const L0 = lines[0]!;
    const L1 = lines[1]!;
    const L2 = lines[2]!;
    const L3 = lines[3]!;
    const L4 = lines[4]!;
    const L5 = lines[5]!;
    const L6 = lines[6]!;
    const L7 = lines[7]!;
    const lp = this.linePos;
    let q0 = lp[0]!;
    let q1 = lp[1]!;
    let q2 = lp[2]!;
    let q3 = lp[3]!;
    let q4 = lp[4]!;
    let q5 = lp[5]!;
    let q6 = lp[6]!;
    let q7 = lp[7]!;
    const g = this.lineGain;
    const g0 = g[0]!;
    const g1 = g[1]!;
    const g2 = g[2]!;
    const g3 = g[3]!;
    const g4 = g[4]!;
    const g5 = g[5]!;
    const g6 = g[6]!;
    const g7 = g[7]!;
    const f = this.lp;
    let f0 = f[0]!;
    let f1 = f[1]!;
    let f2 = f[2]!;
    let f3 = f[3]!;
    let f4 = f[4]!;
    let f5 = f[5]!;
    let f6 = f[6]!;
    let f7 = f[7]!;
    let prePos = this.prePos;
    for (let i = 0; i < frames; i++) {
      // Mono input into the pre-delay.
      pre[prePos] = 0.5 * (in0[i]! + in1[i]!);
      let r = prePos - preFrames;
      if (r < 0) r += preLen;
      let x: number = pre[r]!;
      prePos = prePos + 1 === preLen ? 0 : prePos + 1;
      // Series allpass diffusion: y = -g·x + d; buffer = x + g·y.
      let y = da[pa]! - G * x;
      da[pa] = x + G * y;
      pa = pa + 1 === na ? 0 : pa + 1;
      x = y;
      y = db[pb]! - G * x;
      db[pb] = x + G * y;
      pb = pb + 1 === nb ? 0 : pb + 1;
      x = y;
      y = dc[pc]! - G * x;
      dc[pc] = x + G * y;
      pc = pc + 1 === nc ? 0 : pc + 1;
      x = y;
      y = dd[pd]! - G * x;
      dd[pd] = x + G * y;
      pd = pd + 1 === nd ? 0 : pd + 1;
      x = y;
      // Read the lines (each line's write position is also its oldest sample), damp, scale.
      const s0 = L0[q0]!;
      const s1 = L1[q1]!;
      const s2 = L2[q2]!;
      const s3 = L3[q3]!;
      const s4 = L4[q4]!;
      const s5 = L5[q5]!;
      const s6 = L6[q6]!;
      const s7 = L7[q7]!;
      // OUT_L = + − + − + − + −, OUT_R = + + − − + + − −, summed from 0 in line order.
      const oL = 0 + s0 - s1 + s2 - s3 + s4 - s5 + s6 - s7;
      const oR = 0 + s0 + s1 - s2 - s3 + s4 + s5 - s6 - s7;
      f0 = s0 + a * (f0 - s0);
      f1 = s1 + a * (f1 - s1);
      f2 = s2 + a * (f2 - s2);
      f3 = s3 + a * (f3 - s3);
      f4 = s4 + a * (f4 - s4);
      f5 = s5 + a * (f5 - s5);
      f6 = s6 + a * (f6 - s6);
      f7 = s7 + a * (f7 - s7);
      // Normalised 8-point fast Hadamard transform (orthogonal, lossless mixing).
      const v0 = f0 * g0;
      const v1 = f1 * g1;
      const v2 = f2 * g2;
      const v3 = f3 * g3;
      const v4 = f4 * g4;
      const v5 = f5 * g5;
      const v6 = f6 * g6;
      const v7 = f7 * g7;
      const h0 = v0 + v1;
      const h1 = v0 - v1;
      const h2 = v2 + v3;
      const h3 = v2 - v3;
      const h4 = v4 + v5;
      const h5 = v4 - v5;
      const h6 = v6 + v7;
      const h7 = v6 - v7;
      const k0 = h0 + h2;
      const k2 = h0 - h2;
      const k1 = h1 + h3;
      const k3 = h1 - h3;
      const k4 = h4 + h6;
      const k6 = h4 - h6;
      const k5 = h5 + h7;
      const k7 = h5 - h7;
      // Even lines get +x, odd lines −x.
      L0[q0] = (k0 + k4) * norm + x;
      L1[q1] = (k1 + k5) * norm - x;
      L2[q2] = (k2 + k6) * norm + x;
      L3[q3] = (k3 + k7) * norm - x;
      L4[q4] = (k0 - k4) * norm + x;
      L5[q5] = (k1 - k5) * norm - x;
      L6[q6] = (k2 - k6) * norm + x;
      L7[q7] = (k3 - k7) * norm - x;
      q0 = q0 + 1 === L0.length ? 0 : q0 + 1;
      q1 = q1 + 1 === L1.length ? 0 : q1 + 1;
      q2 = q2 + 1 === L2.length ? 0 : q2 + 1;
      q3 = q3 + 1 === L3.length ? 0 : q3 + 1;
      q4 = q4 + 1 === L4.length ? 0 : q4 + 1;
      q5 = q5 + 1 === L5.length ? 0 : q5 + 1;
      q6 = q6 + 1 === L6.length ? 0 : q6 + 1;
      q7 = q7 + 1 === L7.length ? 0 : q7 + 1;
      out0[i] = outGain * oL;
      if (out1 !== null) out1[i] = outGain * oR;
    }
    this.prePos = prePos;
    dp[0] = pa;
    dp[1] = pb;
    dp[2] = pc;
    dp[3] = pd;
    lp[0] = q0;
    lp[1] = q1;
    lp[2] = q2;
    lp[3] = q3;
    lp[4] = q4;
    lp[5] = q5;
    lp[6] = q6;
    lp[7] = q7;
    f[0] = f0;
    f[1] = f1;
    f[2] = f2;
    f[3] = f3;
    f[4] = f4;
    f[5] = f5;
    f[6] = f6;
    f[7] = f7;
  }
}
