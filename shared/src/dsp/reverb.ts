import type { Hz, Seconds } from '../model/MixState.ts';
import { checkParamsObject, checkSampleRate, clampParam } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';

/**
 * Reverb settings. decay: RT60 in seconds, clamped to [0.1, 20]; preDelay clamped to
 * [0, 0.5] s; damping: corner of the in-loop high-frequency damping, clamped to
 * [500 Hz, 0.45 · sampleRate].
 */
export interface ReverbParams {
  decay: Seconds;
  preDelay: Seconds;
  damping: Hz;
}

/** Feedback delay lengths at 48 kHz (mutually prime, scaled to other rates). */
const LINE_DELAYS_48K = [1109, 1361, 1493, 1619, 1811, 1931, 2129, 2371] as const;
/** Input diffusion allpasses at 48 kHz and their coefficient. */
const DIFFUSER_DELAYS_48K = [142, 107, 379, 277] as const;
const DIFFUSER_GAIN = 0.625;
const MAX_PRE_DELAY = 0.5;
/** Output sign patterns: orthogonal, so L and R are decorrelated. */
const OUT_L = [1, -1, 1, -1, 1, -1, 1, -1] as const;
const OUT_R = [1, 1, -1, -1, 1, 1, -1, -1] as const;
const OUT_GAIN = 0.35;

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
  private readonly v = new Float64Array(8);
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
    if (p.decay !== undefined) next.decay = clampParam('decay', p.decay, 0.1, 20);
    if (p.preDelay !== undefined) next.preDelay = clampParam('preDelay', p.preDelay, 0, MAX_PRE_DELAY);
    if (p.damping !== undefined) next.damping = clampParam('damping', p.damping, 500, 0.45 * this.sampleRate);
    this.params = next;
    for (let i = 0; i < 8; i++) this.lineGain[i] = Math.pow(10, (-3 * this.lineLen[i]!) / (next.decay * this.sampleRate));
    this.dampCoef = Math.exp((-2 * Math.PI * next.damping) / this.sampleRate);
    this.preFrames = Math.round(next.preDelay * this.sampleRate);
  }

  getParams(): Readonly<ReverbParams> {
    return this.params;
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

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const in0 = inputs[0]!;
    const in1 = inputs.length > 1 ? inputs[1]! : in0;
    const out0 = outputs[0]!;
    const out1 = outputs.length > 1 ? outputs[1]! : null;
    const pre = this.pre;
    const preLen = pre.length;
    const preFrames = this.preFrames;
    const lines = this.lines;
    const lineLen = this.lineLen;
    const linePos = this.linePos;
    const gain = this.lineGain;
    const lp = this.lp;
    const v = this.v;
    const a = this.dampCoef;
    const diff = this.diffusers;
    const diffPos = this.diffPos;
    const norm = 1 / Math.sqrt(8);
    let prePos = this.prePos;
    for (let i = 0; i < frames; i++) {
      // Mono input into the pre-delay.
      pre[prePos] = 0.5 * (in0[i]! + in1[i]!);
      let r = prePos - preFrames;
      if (r < 0) r += preLen;
      let x: number = pre[r]!;
      prePos = prePos + 1 === preLen ? 0 : prePos + 1;
      // Series allpass diffusion: y = -g·x + d; buffer = x + g·y.
      for (let k = 0; k < 4; k++) {
        const buf = diff[k]!;
        const p = diffPos[k]!;
        const d = buf[p]!;
        const y = d - DIFFUSER_GAIN * x;
        buf[p] = x + DIFFUSER_GAIN * y;
        diffPos[k] = p + 1 === buf.length ? 0 : p + 1;
        x = y;
      }
      // Read the lines (each line's write position is also its oldest sample), damp, scale.
      let oL = 0;
      let oR = 0;
      for (let k = 0; k < 8; k++) {
        const s = lines[k]![linePos[k]!]!;
        oL += OUT_L[k]! * s;
        oR += OUT_R[k]! * s;
        const l = s + a * (lp[k]! - s);
        lp[k] = l;
        v[k] = l * gain[k]!;
      }
      // Normalised 8-point fast Hadamard transform (orthogonal, lossless mixing).
      for (let h = 1; h < 8; h <<= 1) {
        for (let j = 0; j < 8; j += h << 1) {
          for (let k = j; k < j + h; k++) {
            const p = v[k]!;
            const q = v[k + h]!;
            v[k] = p + q;
            v[k + h] = p - q;
          }
        }
      }
      for (let k = 0; k < 8; k++) {
        const buf = lines[k]!;
        const p = linePos[k]!;
        buf[p] = v[k]! * norm + (k & 1 ? -x : x);
        linePos[k] = p + 1 === lineLen[k]! ? 0 : p + 1;
      }
      out0[i] = OUT_GAIN * oL;
      if (out1 !== null) out1[i] = OUT_GAIN * oR;
    }
    this.prePos = prePos;
  }
}
