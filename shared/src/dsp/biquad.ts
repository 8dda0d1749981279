import type { Decibels, Hz, Ratio } from '../model/MixState.ts';
import { checkParamsObject, checkSampleRate, clampParam } from './clampParam.ts';
import { DspParamError } from './DspParamError.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';
import { pow10f as pow10 } from './pow10f.ts';

/** The Web Audio `BiquadFilterType`s, same names. */
export const BIQUAD_TYPES = ['lowpass', 'highpass', 'bandpass', 'lowshelf', 'highshelf', 'peaking', 'notch', 'allpass'] as const;
export type BiquadType = (typeof BIQUAD_TYPES)[number];

/**
 * Parameters of one biquad, with the meaning of the Web Audio BiquadFilterNode's
 * `type`, `frequency`, `Q` and `gain` (lowpass/highpass read Q in dB; shelves ignore Q;
 * notch/bandpass/allpass/lowpass/highpass ignore gain).
 */
export interface BiquadParams {
  type: BiquadType;
  frequency: Hz;
  Q: Ratio;
  gain: Decibels;
}

/** Normalised coefficients (a0 = 1): y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2. */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

const PI = Math.PI;

function setNormalized(out: BiquadCoefficients, b0: number, b1: number, b2: number, a0: number, a1: number, a2: number): BiquadCoefficients {
  const inv = 1 / a0;
  out.b0 = b0 * inv;
  out.b1 = b1 * inv;
  out.b2 = b2 * inv;
  out.a1 = a1 * inv;
  out.a2 = a2 * inv;
  return out;
}

/**
 * Coefficients per the Web Audio spec's "BiquadFilterNode" formulas (the Audio EQ
 * Cookbook as the spec writes it, including its limits at frequency 0 / Nyquist and Q 0),
 * computed in double precision in the same operation order as Chromium so that the two
 * agree to the last bits. `frequency`, `Q` and `gain` are first rounded to float32
 * because an AudioParam holds float32 values.
 */
export function biquadCoefficients(
  type: BiquadType,
  frequency: Hz,
  Q: Ratio,
  gain: Decibels,
  sampleRate: number,
  out: BiquadCoefficients = { b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 },
): BiquadCoefficients {
  const w = normalisedFrequency(frequency, sampleRate);
  return coefficientsAt(type, w, Math.sin(PI * w), Math.cos(PI * w), Q, gain, out);
}

/** The frequency as a fraction of Nyquist in [0, 1], from its float32 AudioParam value. */
function normalisedFrequency(frequency: Hz, sampleRate: number): number {
  const w = Math.fround(frequency) / (0.5 * Math.fround(sampleRate));
  return w < 0 ? 0 : w > 1 ? 1 : w;
}

/**
 * {@link biquadCoefficients} from the normalised frequency `w` and sin/cos(π·w), which a
 * caller moving only Q or gain computes once: the same arithmetic, the same coefficients.
 */
function coefficientsAt(type: BiquadType, w: number, sinw: number, cosw: number, Q: Ratio, gain: Decibels, out: BiquadCoefficients): BiquadCoefficients {
  const q = Math.fround(Q);
  const g = Math.fround(gain);
  switch (type) {
    case 'lowpass': {
      if (w === 1) return setNormalized(out, 1, 0, 0, 1, 0, 0);
      if (w <= 0) return setNormalized(out, 0, 0, 0, 1, 0, 0);
      const resonance = pow10(q / 20);
      const alpha = sinw / (2 * resonance);
      const beta = (1 - cosw) / 2;
      return setNormalized(out, beta, 2 * beta, beta, 1 + alpha, -2 * cosw, 1 - alpha);
    }
    case 'highpass': {
      if (w === 1) return setNormalized(out, 0, 0, 0, 1, 0, 0);
      if (w <= 0) return setNormalized(out, 1, 0, 0, 1, 0, 0);
      const resonance = pow10(q / 20);
      const alpha = sinw / (2 * resonance);
      const beta = (1 + cosw) / 2;
      return setNormalized(out, beta, -2 * beta, beta, 1 + alpha, -2 * cosw, 1 - alpha);
    }
    case 'bandpass': {
      if (w > 0 && w < 1) {
        if (q > 0) {
          const alpha = sinw / (2 * q);
          const k = cosw;
          return setNormalized(out, alpha, 0, -alpha, 1 + alpha, -2 * k, 1 - alpha);
        }
        return setNormalized(out, 1, 0, 0, 1, 0, 0);
      }
      return setNormalized(out, 0, 0, 0, 1, 0, 0);
    }
    case 'lowshelf': {
      const a = pow10(g / 40);
      if (w === 1) return setNormalized(out, a * a, 0, 0, 1, 0, 0);
      if (w <= 0) return setNormalized(out, 1, 0, 0, 1, 0, 0);
      const s = 1; // shelf slope: the spec fixes S = 1
      const alpha = 0.5 * sinw * Math.sqrt((a + 1 / a) * (1 / s - 1) + 2);
      const k = cosw;
      const k2 = 2 * Math.sqrt(a) * alpha;
      const ap1 = a + 1;
      const am1 = a - 1;
      return setNormalized(
        out,
        a * (ap1 - am1 * k + k2),
        2 * a * (am1 - ap1 * k),
        a * (ap1 - am1 * k - k2),
        ap1 + am1 * k + k2,
        -2 * (am1 + ap1 * k),
        ap1 + am1 * k - k2,
      );
    }
    case 'highshelf': {
      const a = pow10(g / 40);
      if (w === 1) return setNormalized(out, 1, 0, 0, 1, 0, 0);
      if (w <= 0) return setNormalized(out, a * a, 0, 0, 1, 0, 0);
      const s = 1;
      const alpha = 0.5 * sinw * Math.sqrt((a + 1 / a) * (1 / s - 1) + 2);
      const k = cosw;
      const k2 = 2 * Math.sqrt(a) * alpha;
      const ap1 = a + 1;
      const am1 = a - 1;
      return setNormalized(
        out,
        a * (ap1 + am1 * k + k2),
        -2 * a * (am1 + ap1 * k),
        a * (ap1 + am1 * k - k2),
        ap1 - am1 * k + k2,
        2 * (am1 - ap1 * k),
        ap1 - am1 * k - k2,
      );
    }
    case 'peaking': {
      // BiquadProcessor.peakingGainPerFrame repeats this arithmetic per frame: change both.
      const a = pow10(g / 40);
      if (w > 0 && w < 1) {
        if (q > 0) {
          const alpha = sinw / (2 * q);
          const k = cosw;
          return setNormalized(out, 1 + alpha * a, -2 * k, 1 - alpha * a, 1 + alpha / a, -2 * k, 1 - alpha / a);
        }
        return setNormalized(out, a * a, 0, 0, 1, 0, 0);
      }
      return setNormalized(out, 1, 0, 0, 1, 0, 0);
    }
    case 'notch': {
      if (w > 0 && w < 1) {
        if (q > 0) {
          const alpha = sinw / (2 * q);
          const k = cosw;
          return setNormalized(out, 1, -2 * k, 1, 1 + alpha, -2 * k, 1 - alpha);
        }
        return setNormalized(out, 0, 0, 0, 1, 0, 0);
      }
      return setNormalized(out, 1, 0, 0, 1, 0, 0);
    }
    case 'allpass': {
      if (w > 0 && w < 1) {
        if (q > 0) {
          const alpha = sinw / (2 * q);
          const k = cosw;
          return setNormalized(out, 1 - alpha, -2 * k, 1 + alpha, 1 + alpha, -2 * k, 1 - alpha);
        }
        return setNormalized(out, -1, 0, 0, 1, 0, 0);
      }
      return setNormalized(out, 1, 0, 0, 1, 0, 0);
    }
  }
}

/** Magnitude (linear) and phase (radians) of a biquad, like `getFrequencyResponse`. */
export interface FrequencyResponse {
  magnitude: Float32Array;
  phase: Float32Array;
}

/**
 * The filter's frequency response at each frequency in Hz, as the Web Audio
 * `BiquadFilterNode.getFrequencyResponse` defines it: H(z) evaluated on the unit circle,
 * NaN for frequencies outside [0, Nyquist]. The UI draws EQ curves with it (multiply
 * magnitudes of several bands for a strip's curve).
 */
export function biquadResponse(params: BiquadParams, sampleRate: number, freqs: ArrayLike<number>): FrequencyResponse {
  const n = freqs.length;
  const magnitude = new Float32Array(n);
  const phase = new Float32Array(n);
  const c = biquadCoefficients(params.type, params.frequency, params.Q, params.gain, sampleRate);
  const nyquist = sampleRate / 2;
  for (let i = 0; i < n; i++) {
    const f = freqs[i] as number;
    if (!(f >= 0 && f <= nyquist)) {
      magnitude[i] = NaN;
      phase[i] = NaN;
      continue;
    }
    const omega = (-PI * f) / nyquist;
    // z^-1 = e^{-jω}, z^-2 = e^{-2jω}
    const c1 = Math.cos(omega);
    const s1 = Math.sin(omega);
    const c2 = Math.cos(2 * omega);
    const s2 = Math.sin(2 * omega);
    const nr = c.b0 + c.b1 * c1 + c.b2 * c2;
    const ni = c.b1 * s1 + c.b2 * s2;
    const dr = 1 + c.a1 * c1 + c.a2 * c2;
    const di = c.a1 * s1 + c.a2 * s2;
    const den = dr * dr + di * di;
    const hr = (nr * dr + ni * di) / den;
    const hi = (ni * dr - nr * di) / den;
    magnitude[i] = Math.hypot(hr, hi);
    phase[i] = Math.atan2(hi, hr);
  }
  return { magnitude, phase };
}

const DEFAULT_BIQUAD: BiquadParams = { type: 'lowpass', frequency: 350, Q: 1, gain: 0 };

/**
 * One biquad filter on up to two channels, processing like Chromium's BiquadFilterNode:
 * double-precision coefficients and arithmetic, float32 input/output, and the previous
 * outputs kept as the float32 values that were emitted (Chromium stores `float y` back
 * into its double state). While a parameter ramps, coefficients are recomputed every
 * sample, as Chromium does for sample-accurate (automated) AudioParams.
 *
 * Defaults are the Web Audio defaults (lowpass, 350 Hz, Q 1, gain 0).
 */
export class BiquadProcessor implements DspProcessor<BiquadParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: BiquadParams = { ...DEFAULT_BIQUAD };
  private readonly freq = new LinearRamp(DEFAULT_BIQUAD.frequency);
  private readonly q = new LinearRamp(DEFAULT_BIQUAD.Q);
  private readonly gain = new LinearRamp(DEFAULT_BIQUAD.gain);
  private readonly coef: BiquadCoefficients = { b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 };
  /** x1, x2, y1, y2 per channel (2 channels). */
  private readonly state = new Float64Array(8);
  /** processAutomated's coefficients per frame (5 each), grown to the largest block. */
  private perFrame = new Float64Array(0);
  private readonly rampFrames: number;
  private fresh = true;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.updateCoefficients();
  }

  setParams(p: Partial<BiquadParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<BiquadParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<BiquadParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    if (p.type !== undefined) {
      if (!(BIQUAD_TYPES as readonly string[]).includes(p.type)) throw new DspParamError('type', p.type);
      next.type = p.type;
    }
    if (p.frequency !== undefined) next.frequency = clampParam('frequency', p.frequency, 0, this.sampleRate / 2);
    if (p.Q !== undefined) next.Q = clampParam('Q', p.Q, -1000, 1000);
    if (p.gain !== undefined) next.gain = clampParam('gain', p.gain, -1541, 1541);
    this.params = next;
    if (snap) {
      this.freq.snap(next.frequency);
      this.q.snap(next.Q);
      this.gain.snap(next.gain);
      this.fresh = false;
    } else {
      this.freq.rampTo(next.frequency, this.rampFrames);
      this.q.rampTo(next.Q, this.rampFrames);
      this.gain.rampTo(next.gain, this.rampFrames);
    }
    this.updateCoefficients();
  }

  getParams(): Readonly<BiquadParams> {
    return this.params;
  }

  /** The current (settled or ramping) normalised coefficients: what the next sample uses. */
  get coefficients(): Readonly<BiquadCoefficients> {
    return this.coef;
  }

  /** x1, x2, y1, y2 of `channel`: the filter's history, for a transcription that continues it. */
  history(channel: 0 | 1): [number, number, number, number] {
    const o = channel * 4;
    const st = this.state;
    return [st[o]!, st[o + 1]!, st[o + 2]!, st[o + 3]!];
  }

  reset(): void {
    this.state.fill(0);
    this.freq.snap(this.params.frequency);
    this.q.snap(this.params.Q);
    this.gain.snap(this.params.gain);
    this.updateCoefficients();
    this.fresh = true;
  }

  private updateCoefficients(): void {
    biquadCoefficients(this.params.type, this.freq.value, this.q.value, this.gain.value, this.sampleRate, this.coef);
  }

  private get ramping(): boolean {
    return this.freq.ramping || this.q.ramping || this.gain.ramping;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    let start = 0;
    if (this.ramping) {
      // Per-sample coefficients until the ramp ends (all channels in lockstep).
      const fq = this.freq;
      const qq = this.q;
      const gg = this.gain;
      const c = this.coef;
      const st = this.state;
      const type = this.params.type;
      for (; start < frames && (fq.ramping || qq.ramping || gg.ramping); start++) {
        biquadCoefficients(type, fq.next(), qq.next(), gg.next(), this.sampleRate, c);
        for (let ch = 0; ch < channels; ch++) {
          const o = ch * 4;
          const x = (inputs[ch] as Float32Array)[start] as number;
          const y = Math.fround(c.b0 * x + c.b1 * st[o]! + c.b2 * st[o + 1]! - c.a1 * st[o + 2]! - c.a2 * st[o + 3]!);
          (outputs[ch] as Float32Array)[start] = y;
          st[o + 1] = st[o]!;
          st[o] = x;
          st[o + 3] = st[o + 2]!;
          st[o + 2] = y;
        }
      }
      if (!this.ramping) this.updateCoefficients();
    }
    if (channels === 2) this.run2(inputs[0]!, inputs[1]!, outputs[0]!, outputs[1]!, start, frames);
    else if (channels === 1) this.run(inputs[0]!, outputs[0]!, 0, start, frames);
  }

  /**
   * Processes with per-sample `frequency` and `gain` values (an automated AudioParam's
   * values for these frames; null: the set value), as Chromium does for sample-accurate
   * params: coefficients for every frame ({@link coefficientsPerFrame}), then the filter.
   * Q and type are the set ones. Leaves the filter settled on the last values.
   */
  processAutomated(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number, frequency: Float32Array | null, gain: Float32Array | null): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    if (this.perFrame.length < 5 * frames) this.perFrame = new Float64Array(5 * frames);
    const k = this.perFrame;
    this.coefficientsPerFrame(frames, frequency, gain, k);
    const st = this.state;
    for (let i = 0; i < frames; i++) {
      const o5 = 5 * i;
      const b0 = k[o5]!;
      const b1 = k[o5 + 1]!;
      const b2 = k[o5 + 2]!;
      const a1 = k[o5 + 3]!;
      const a2 = k[o5 + 4]!;
      for (let ch = 0; ch < channels; ch++) {
        const o = ch * 4;
        const x = inputs[ch]![i]!;
        const y = Math.fround(b0 * x + b1 * st[o]! + b2 * st[o + 1]! - a1 * st[o + 2]! - a2 * st[o + 3]!);
        outputs[ch]![i] = y;
        st[o + 1] = st[o]!;
        st[o] = x;
        st[o + 3] = st[o + 2]!;
        st[o + 2] = y;
      }
    }
  }

  /**
   * The coefficients of each of `frames` frames for per-sample `frequency` and `gain` values
   * (null: the set value), b0, b1, b2, a1, a2 per frame into `out`, recomputed only where a
   * value changes (the same coefficients). Leaves the filter settled on the last values. The
   * bake's WebAssembly strip chain filters with them as processAutomated does.
   */
  coefficientsPerFrame(frames: number, frequency: Float32Array | null, gain: Float32Array | null, out: Float64Array): void {
    const c = this.coef;
    const type = this.params.type;
    const q = this.q.value;
    if (frequency === null && gain !== null && type === 'peaking' && this.peakingGainPerFrame(frames, gain, out)) return;
    let f = Number.NaN;
    let g = Number.NaN;
    let w = 0;
    let sinw = 0;
    let cosw = 0;
    for (let i = 0; i < frames; i++) {
      const fi = frequency ? frequency[i]! : this.params.frequency;
      const gi = gain ? gain[i]! : this.params.gain;
      if (fi !== f || gi !== g) {
        if (fi !== f) {
          // A gain lane leaves the frequency (and its trigonometry) alone: computed once.
          f = fi;
          w = normalisedFrequency(f, this.sampleRate);
          sinw = Math.sin(PI * w);
          cosw = Math.cos(PI * w);
        }
        g = gi;
        coefficientsAt(type, w, sinw, cosw, q, g, c);
      }
      const o = 5 * i;
      out[o] = c.b0;
      out[o + 1] = c.b1;
      out[o + 2] = c.b2;
      out[o + 3] = c.a1;
      out[o + 4] = c.a2;
    }
    if (frames > 0) {
      this.params = { ...this.params, frequency: f, gain: g };
      this.freq.snap(f);
      this.gain.snap(g);
    }
  }

  /**
   * coefficientsPerFrame for a peaking band whose gain alone moves (an engineer riding a band,
   * the bench's lanes): coefficientsAt's peaking arithmetic in the same order, with what only
   * the frequency and Q decide (alpha, the cosine term) computed once, and no call or object
   * write per frame, the same coefficients bit for bit. False (nothing written) where
   * coefficientsAt takes one of its limits (frequency 0 or Nyquist, Q <= 0).
   */
  private peakingGainPerFrame(frames: number, gain: Float32Array, out: Float64Array): boolean {
    const w = normalisedFrequency(this.params.frequency, this.sampleRate);
    const q = Math.fround(this.q.value);
    if (!(w > 0 && w < 1 && q > 0)) return false;
    const alpha = Math.sin(PI * w) / (2 * q);
    const m2k = -2 * Math.cos(PI * w);
    let g = Number.NaN;
    let b0 = 1;
    let b1 = 0;
    let b2 = 0;
    let a1 = 0;
    let a2 = 0;
    for (let i = 0; i < frames; i++) {
      const gi = gain[i]!;
      if (gi !== g) {
        g = gi;
        const a = pow10(Math.fround(g) / 40);
        // setNormalized(1 + alpha·a, -2k, 1 - alpha·a, 1 + alpha/a, -2k, 1 - alpha/a).
        const inv = 1 / (1 + alpha / a);
        b0 = (1 + alpha * a) * inv;
        b1 = m2k * inv;
        b2 = (1 - alpha * a) * inv;
        a1 = m2k * inv;
        a2 = (1 - alpha / a) * inv;
      }
      const o = 5 * i;
      out[o] = b0;
      out[o + 1] = b1;
      out[o + 2] = b2;
      out[o + 3] = a1;
      out[o + 4] = a2;
    }
    if (frames > 0) {
      const c = this.coef;
      c.b0 = b0;
      c.b1 = b1;
      c.b2 = b2;
      c.a1 = a1;
      c.a2 = a2;
      this.params = { ...this.params, gain: g };
      this.freq.snap(this.params.frequency);
      this.gain.snap(g);
    }
    return true;
  }

  /** True while a parameter ramp is running (coefficients change every sample). */
  get isRamping(): boolean {
    return this.ramping;
  }

  /**
   * This filter followed by `next` (another biquad in series), in one pass: exactly
   * `this.process(inputs, outputs, frames)` then `next.process(outputs, outputs, frames)`,
   * bit for bit. When neither ramps and the block is stereo, both filters run in the same
   * loop, so the CPU overlaps their four independent recursions (each on its own is bound
   * by the latency of its feedback path) and the intermediate signal never goes through
   * memory; otherwise the two calls above are made.
   */
  processWith(next: BiquadProcessor, inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    if (channels !== 2 || this.ramping || next.ramping || next === this) {
      this.process(inputs, outputs, frames);
      next.process(outputs, outputs, frames);
      return;
    }
    this.run2Then(next, inputs[0]!, inputs[1]!, outputs[0]!, outputs[1]!, frames);
  }

  /** `run2` of this filter and of `next` fused (same arithmetic per filter and sample). */
  private run2Then(next: BiquadProcessor, inL: Float32Array, inR: Float32Array, outL: Float32Array, outR: Float32Array, frames: number): void {
    const st = this.state;
    const { b0, b1, b2, a1, a2 } = this.coef;
    const su = next.state;
    const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = next.coef;
    let lx1 = st[0]!;
    let lx2 = st[1]!;
    let ly1 = st[2]!;
    let ly2 = st[3]!;
    let rx1 = st[4]!;
    let rx2 = st[5]!;
    let ry1 = st[6]!;
    let ry2 = st[7]!;
    let mx1 = su[0]!;
    let mx2 = su[1]!;
    let my1 = su[2]!;
    let my2 = su[3]!;
    let sx1 = su[4]!;
    let sx2 = su[5]!;
    let sy1 = su[6]!;
    let sy2 = su[7]!;
    for (let i = 0; i < frames; i++) {
      const xl = inL[i]!;
      const xr = inR[i]!;
      // First filter; its float32 outputs are exactly what the second would read back.
      const yl = Math.fround(b0 * xl + b1 * lx1 + b2 * lx2 - a1 * ly1 - a2 * ly2);
      const yr = Math.fround(b0 * xr + b1 * rx1 + b2 * rx2 - a1 * ry1 - a2 * ry2);
      lx2 = lx1;
      lx1 = xl;
      ly2 = ly1;
      ly1 = yl;
      rx2 = rx1;
      rx1 = xr;
      ry2 = ry1;
      ry1 = yr;
      const zl = Math.fround(c0 * yl + c1 * mx1 + c2 * mx2 - d1 * my1 - d2 * my2);
      const zr = Math.fround(c0 * yr + c1 * sx1 + c2 * sx2 - d1 * sy1 - d2 * sy2);
      outL[i] = zl;
      outR[i] = zr;
      mx2 = mx1;
      mx1 = yl;
      my2 = my1;
      my1 = zl;
      sx2 = sx1;
      sx1 = yr;
      sy2 = sy1;
      sy1 = zr;
    }
    st[0] = lx1;
    st[1] = lx2;
    st[2] = ly1;
    st[3] = ly2;
    st[4] = rx1;
    st[5] = rx2;
    st[6] = ry1;
    st[7] = ry2;
    su[0] = mx1;
    su[1] = mx2;
    su[2] = my1;
    su[3] = my2;
    su[4] = sx1;
    su[5] = sx2;
    su[6] = sy1;
    su[7] = sy2;
  }

  /**
   * Both channels in one loop: each channel's recursion is latency-bound, so interleaving
   * two independent ones nearly doubles throughput. Same arithmetic as `run`.
   */
  private run2(inL: Float32Array, inR: Float32Array, outL: Float32Array, outR: Float32Array, from: number, to: number): void {
    const st = this.state;
    const { b0, b1, b2, a1, a2 } = this.coef;
    let lx1 = st[0]!;
    let lx2 = st[1]!;
    let ly1 = st[2]!;
    let ly2 = st[3]!;
    let rx1 = st[4]!;
    let rx2 = st[5]!;
    let ry1 = st[6]!;
    let ry2 = st[7]!;
    for (let i = from; i < to; i++) {
      const xl = inL[i]!;
      const xr = inR[i]!;
      const yl = Math.fround(b0 * xl + b1 * lx1 + b2 * lx2 - a1 * ly1 - a2 * ly2);
      const yr = Math.fround(b0 * xr + b1 * rx1 + b2 * rx2 - a1 * ry1 - a2 * ry2);
      outL[i] = yl;
      outR[i] = yr;
      lx2 = lx1;
      lx1 = xl;
      ly2 = ly1;
      ly1 = yl;
      rx2 = rx1;
      rx1 = xr;
      ry2 = ry1;
      ry1 = yr;
    }
    st[0] = lx1;
    st[1] = lx2;
    st[2] = ly1;
    st[3] = ly2;
    st[4] = rx1;
    st[5] = rx2;
    st[6] = ry1;
    st[7] = ry2;
  }

  private run(inp: Float32Array, out: Float32Array, o: number, from: number, to: number): void {
    const st = this.state;
    const { b0, b1, b2, a1, a2 } = this.coef;
    let x1 = st[o]!;
    let x2 = st[o + 1]!;
    let y1 = st[o + 2]!;
    let y2 = st[o + 3]!;
    for (let i = from; i < to; i++) {
      const x = inp[i]!;
      const y = Math.fround(b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2);
      out[i] = y;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
    }
    st[o] = x1;
    st[o + 1] = x2;
    st[o + 2] = y1;
    st[o + 3] = y2;
  }
}
