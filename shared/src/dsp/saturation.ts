import type { SaturationState } from '../model/MixState.ts';
import { TRACK_SPEC } from '../model/TrackSpec.ts';
import { checkParamsObject, checkSampleRate, clampSettings } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';
import { halfbandSideTaps } from './Halfband2x.ts';

/**
 * Saturation settings: the track's saturation section without its switch, clamped to its
 * ranges (model/TrackSpec.ts). `drive` is the gain into the soft clipper (0 dB: a
 * full-scale sample maps to 0.78 ≈ -2.2 dB); `mix` 0 = dry only, 1 = saturated only.
 */
export type SaturationParams = Omit<SaturationState, 'on'>;

/** Half-band stages: base<->2x (4·14−1 = 55 taps), 2x<->4x (19 taps), Kaiser β 7.5. STAGE1_M must stay even (4-way unrolled loops). */
const STAGE1_M = 14;
const STAGE2_M = 5;
const HALFBAND_BETA = 7.5;
/** Round-trip delay of the cascade plus its one-sample 4x alignment delay (measured: integer). */
const OVERSAMPLING_LATENCY = 31;
const NEPER_PER_DB = Math.LN10 / 20;

/**
 * The waveshaper: the [3/2] Padé approximant of tanh, x(27 + x²)/(27 + 9x²), which meets
 * ±1 with zero slope at |x| = 3 and is clamped beyond. Rational arithmetic (+, ×, ÷) is
 * correctly rounded in every JS engine, so browser and server compute identical samples;
 * Math.tanh is not specified to the last bit and costs several times more.
 */
export function softClip(x: number): number {
  if (x >= 3) return 1;
  if (x <= -3) return -1;
  const x2 = x * x;
  return (x * (27 + x2)) / (27 + 9 * x2);
}

/** Base-rate frames processed per inner chunk (bounds the work buffers). */
const CHUNK = 128;

/** Per-channel state of the 4x chain: contiguous history + chunk buffers per stage. */
class ShaperChannel {
  /** Stage-1 up input: S1 − 1 history + CHUNK base samples. */
  readonly x1: Float64Array;
  /** Stage-2 up input (2x): S2 − 1 history + 2·CHUNK. */
  readonly x2: Float64Array;
  /** Shaped 4x samples: 2·S2 − 2 history + 4·CHUNK. */
  readonly w4: Float64Array;
  /** Stage-1 down input (2x): 2·S1 − 2 history + 2·CHUNK. */
  readonly d2: Float64Array;
  readonly dry: Float32Array;

  constructor(s1: number, s2: number, latency: number) {
    this.x1 = new Float64Array(s1 - 1 + CHUNK);
    this.x2 = new Float64Array(s2 - 1 + 2 * CHUNK);
    this.w4 = new Float64Array(2 * s2 - 2 + 4 * CHUNK);
    this.d2 = new Float64Array(2 * s1 - 2 + 2 * CHUNK);
    this.dry = new Float32Array(latency);
  }

  reset(): void {
    this.x1.fill(0);
    this.x2.fill(0);
    this.w4.fill(0);
    this.d2.fill(0);
    this.dry.fill(0);
  }
}

/**
 * tanh-like waveshaper, wet = softClip(drive · x), run at 4x the sample rate through two
 * cascaded linear-phase half-band stages (flat to 20 kHz at 48 kHz, images and aliases
 * ≥ 60 dB down from 28 kHz at the 2x stage) so harmonics above Nyquist do not fold back.
 * The dry path is delayed by the same {@link latencyFrames} so the blend has no comb
 * filter: mix = 0 is exactly the input delayed by latencyFrames.
 */
export class SaturationProcessor implements DspProcessor<SaturationParams> {
  readonly sampleRate: number;
  readonly latencyFrames: number;
  private params: SaturationParams = { drive: 0, mix: 1 };
  private readonly drive = new LinearRamp(1);
  private readonly mix = new LinearRamp(1);
  private readonly h1 = halfbandSideTaps(STAGE1_M, HALFBAND_BETA);
  private readonly h2 = halfbandSideTaps(STAGE2_M, HALFBAND_BETA);
  private readonly ch: ShaperChannel[];
  /** Per-sample drive and mix of the current chunk (filled only while ramping). */
  private readonly gBuf = new Float64Array(CHUNK);
  private readonly mBuf = new Float64Array(CHUNK);
  private dryPos = 0;
  private readonly rampFrames: number;
  private fresh = true;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.latencyFrames = OVERSAMPLING_LATENCY;
    const s1 = 2 * STAGE1_M;
    const s2 = 2 * STAGE2_M;
    this.ch = [new ShaperChannel(s1, s2, this.latencyFrames), new ShaperChannel(s1, s2, this.latencyFrames)];
  }

  setParams(p: Partial<SaturationParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<SaturationParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<SaturationParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    clampSettings(p, TRACK_SPEC.sat.params, next);
    this.params = next;
    // Drive ramps in the linear domain, like a gain.
    const g = Math.exp(next.drive * NEPER_PER_DB);
    if (snap) {
      this.drive.snap(g);
      this.mix.snap(next.mix);
      this.fresh = false;
    } else {
      this.drive.rampTo(g, this.rampFrames);
      this.mix.rampTo(next.mix, this.rampFrames);
    }
  }

  getParams(): Readonly<SaturationParams> {
    return this.params;
  }

  reset(): void {
    for (const c of this.ch) c.reset();
    this.dryPos = 0;
    this.drive.snap(Math.exp(this.params.drive * NEPER_PER_DB));
    this.mix.snap(this.params.mix);
    this.fresh = true;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    for (let off = 0; off < frames; off += CHUNK) {
      const n = Math.min(CHUNK, frames - off);
      // Ramps are shared by the channels: fill this chunk's per-sample values once.
      const ramping = this.drive.ramping || this.mix.ramping;
      if (ramping) {
        for (let i = 0; i < n; i++) {
          this.gBuf[i] = this.drive.next();
          this.mBuf[i] = this.mix.next();
        }
      }
      const startPos = this.dryPos;
      if (channels === 2) this.dryPos = this.chunk2(this.ch[0]!, this.ch[1]!, inputs[0]!, inputs[1]!, outputs[0]!, outputs[1]!, off, n, ramping, startPos);
      else for (let c = 0; c < channels; c++) this.dryPos = this.chunk(this.ch[c]!, inputs[c]!, outputs[c]!, off, n, ramping, startPos);
    }
  }

  /**
   * Both channels of a stereo chunk: exactly {@link chunk} for each (every sum in the same
   * order), with the two channels' loops merged so they share the coefficient loads and
   * give the CPU twice as many independent sums to overlap.
   */
  private chunk2(
    sa: ShaperChannel,
    sb: ShaperChannel,
    inA: Float32Array,
    inB: Float32Array,
    outA: Float32Array,
    outB: Float32Array,
    off: number,
    n: number,
    ramping: boolean,
    startPos: number,
  ): number {
    const h1 = this.h1;
    const h2 = this.h2;
    const S1 = h1.length;
    const S2 = h2.length;
    const M1 = S1 >> 1;
    const M2 = S2 >> 1;
    const xa = sa.x1;
    const xb = sb.x1;
    const ya = sa.x2;
    const yb = sb.x2;
    const wa = sa.w4;
    const wb = sb.w4;
    const da = sa.d2;
    const db = sb.d2;
    const dryA = sa.dry;
    const dryB = sb.dry;
    const gBuf = this.gBuf;
    const mBuf = this.mBuf;
    const gConst = this.drive.value;
    const mConst = this.mix.value;
    const b1 = S1 - 1;
    for (let i = 0; i < n; i++) {
      xa[b1 + i] = inA[off + i]!;
      xb[b1 + i] = inB[off + i]!;
    }
    const b2 = S2 - 1;
    for (let i = 0; i < n; i++) {
      const p = b1 + i;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let e0 = 0;
      let e1 = 0;
      let e2 = 0;
      let e3 = 0;
      for (let k = 0; k < S1; k += 4) {
        const c0 = h1[k]!;
        const c1 = h1[k + 1]!;
        const c2 = h1[k + 2]!;
        const c3 = h1[k + 3]!;
        a0 += c0 * xa[p - k]!;
        a1 += c1 * xa[p - k - 1]!;
        a2 += c2 * xa[p - k - 2]!;
        a3 += c3 * xa[p - k - 3]!;
        e0 += c0 * xb[p - k]!;
        e1 += c1 * xb[p - k - 1]!;
        e2 += c2 * xb[p - k - 2]!;
        e3 += c3 * xb[p - k - 3]!;
      }
      ya[b2 + 2 * i] = 2 * (a0 + a1 + (a2 + a3));
      ya[b2 + 2 * i + 1] = xa[p - (M1 - 1)]!;
      yb[b2 + 2 * i] = 2 * (e0 + e1 + (e2 + e3));
      yb[b2 + 2 * i + 1] = xb[p - (M1 - 1)]!;
    }
    const hw = 2 * S2 - 2;
    const n2 = 2 * n;
    for (let j = 0; j < n2; j++) {
      const q = b2 + j;
      let a0 = 0;
      let a1 = 0;
      let e0 = 0;
      let e1 = 0;
      for (let k = 0; k < S2; k += 2) {
        const c0 = h2[k]!;
        const c1 = h2[k + 1]!;
        a0 += c0 * ya[q - k]!;
        a1 += c1 * ya[q - k - 1]!;
        e0 += c0 * yb[q - k]!;
        e1 += c1 * yb[q - k - 1]!;
      }
      const g = ramping ? gBuf[j >> 1]! : gConst;
      wa[hw + 2 * j] = softClip(g * 2 * (a0 + a1));
      wa[hw + 2 * j + 1] = softClip(g * ya[q - (M2 - 1)]!);
      wb[hw + 2 * j] = softClip(g * 2 * (e0 + e1));
      wb[hw + 2 * j + 1] = softClip(g * yb[q - (M2 - 1)]!);
    }
    const hd = 2 * S1 - 2;
    for (let j = 0; j < n2; j++) {
      const r = hw + 2 * j;
      let a0 = 0;
      let a1 = 0;
      let e0 = 0;
      let e1 = 0;
      for (let k = 0; k < S2; k += 2) {
        const c0 = h2[k]!;
        const c1 = h2[k + 1]!;
        a0 += c0 * wa[r - 2 * k]!;
        a1 += c1 * wa[r - 2 * k - 2]!;
        e0 += c0 * wb[r - 2 * k]!;
        e1 += c1 * wb[r - 2 * k - 2]!;
      }
      da[hd + j] = a0 + a1 + 0.5 * wa[r + 1 - 2 * M2]!;
      db[hd + j] = e0 + e1 + 0.5 * wb[r + 1 - 2 * M2]!;
    }
    const L = this.latencyFrames;
    let pos = startPos;
    for (let i = 0; i < n; i++) {
      const r = hd + 2 * i + 1;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let e0 = 0;
      let e1 = 0;
      let e2 = 0;
      let e3 = 0;
      for (let k = 0; k < S1; k += 4) {
        const c0 = h1[k]!;
        const c1 = h1[k + 1]!;
        const c2 = h1[k + 2]!;
        const c3 = h1[k + 3]!;
        a0 += c0 * da[r - 2 * k]!;
        a1 += c1 * da[r - 2 * k - 2]!;
        a2 += c2 * da[r - 2 * k - 4]!;
        a3 += c3 * da[r - 2 * k - 6]!;
        e0 += c0 * db[r - 2 * k]!;
        e1 += c1 * db[r - 2 * k - 2]!;
        e2 += c2 * db[r - 2 * k - 4]!;
        e3 += c3 * db[r - 2 * k - 6]!;
      }
      const wetA = a0 + a1 + (a2 + a3) + 0.5 * da[r + 1 - 2 * M1]!;
      const wetB = e0 + e1 + (e2 + e3) + 0.5 * db[r + 1 - 2 * M1]!;
      const xA = inA[off + i]!;
      const xB = inB[off + i]!;
      const dA = dryA[pos]!;
      const dB = dryB[pos]!;
      dryA[pos] = xA;
      dryB[pos] = xB;
      pos = pos + 1 === L ? 0 : pos + 1;
      const m = ramping ? mBuf[i]! : mConst;
      outA[off + i] = m === 0 ? dA : m === 1 ? wetA : dA + (wetA - dA) * m;
      outB[off + i] = m === 0 ? dB : m === 1 ? wetB : dB + (wetB - dB) * m;
    }
    xa.copyWithin(0, n, n + b1);
    xb.copyWithin(0, n, n + b1);
    ya.copyWithin(0, n2, n2 + b2);
    yb.copyWithin(0, n2, n2 + b2);
    wa.copyWithin(0, 2 * n2, 2 * n2 + hw);
    wb.copyWithin(0, 2 * n2, 2 * n2 + hw);
    da.copyWithin(0, n2, n2 + hd);
    db.copyWithin(0, n2, n2 + hd);
    return pos;
  }

  /**
   * One channel, one chunk: stage-1 up (base -> 2x), stage-2 up (2x -> 4x) and shaping,
   * stage-2 down (with the 4x stream delayed one sample so the chain's delay is a whole
   * number of base samples), stage-1 down, then the dry/wet blend. Returns the new dry
   * ring position.
   */
  private chunk(st: ShaperChannel, inp: Float32Array, out: Float32Array, off: number, n: number, ramping: boolean, startPos: number): number {
    const h1 = this.h1;
    const h2 = this.h2;
    const S1 = h1.length;
    const S2 = h2.length;
    const M1 = S1 >> 1;
    const M2 = S2 >> 1;
    const { x1, x2, w4, d2, dry } = st;
    const gBuf = this.gBuf;
    const mBuf = this.mBuf;
    const gConst = this.drive.value;
    const mConst = this.mix.value;
    // Stage 1 up: x2[S2-1 + 2i] = 2·Σ h1[k]·x[i-k], x2[S2-1 + 2i + 1] = x[i - (M1-1)].
    const b1 = S1 - 1;
    for (let i = 0; i < n; i++) x1[b1 + i] = inp[off + i]!;
    const b2 = S2 - 1;
    for (let i = 0; i < n; i++) {
      const p = b1 + i;
      // Four partial sums: a single accumulator would make the loop wait on FP-add latency.
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let k = 0; k < S1; k += 4) {
        a0 += h1[k]! * x1[p - k]!;
        a1 += h1[k + 1]! * x1[p - k - 1]!;
        a2 += h1[k + 2]! * x1[p - k - 2]!;
        a3 += h1[k + 3]! * x1[p - k - 3]!;
      }
      x2[b2 + 2 * i] = 2 * (a0 + a1 + (a2 + a3));
      x2[b2 + 2 * i + 1] = x1[p - (M1 - 1)]!;
    }
    // Stage 2 up and the waveshaper, per 2x sample j (base sample j >> 1).
    const hw = 2 * S2 - 2;
    const n2 = 2 * n;
    for (let j = 0; j < n2; j++) {
      const q = b2 + j;
      let a0 = 0;
      let a1 = 0;
      for (let k = 0; k < S2; k += 2) {
        a0 += h2[k]! * x2[q - k]!;
        a1 += h2[k + 1]! * x2[q - k - 1]!;
      }
      const g = ramping ? gBuf[j >> 1]! : gConst;
      w4[hw + 2 * j] = softClip(g * 2 * (a0 + a1));
      w4[hw + 2 * j + 1] = softClip(g * x2[q - (M2 - 1)]!);
    }
    // Stage 2 down on the one-sample-delayed 4x stream v[m] = w[m-1]:
    // d = Σ h2[k]·w[2j - 2k] + 0.5·w[2j + 1 - 2·M2].
    const hd = 2 * S1 - 2;
    for (let j = 0; j < n2; j++) {
      const r = hw + 2 * j;
      let a0 = 0;
      let a1 = 0;
      for (let k = 0; k < S2; k += 2) {
        a0 += h2[k]! * w4[r - 2 * k]!;
        a1 += h2[k + 1]! * w4[r - 2 * k - 2]!;
      }
      d2[hd + j] = a0 + a1 + 0.5 * w4[r + 1 - 2 * M2]!;
    }
    // Stage 1 down: y[i] = Σ h1[k]·d[2i+1-2k] + 0.5·d[2i+2-2·M1]; then dry/wet.
    const L = this.latencyFrames;
    let pos = startPos;
    for (let i = 0; i < n; i++) {
      const r = hd + 2 * i + 1;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let k = 0; k < S1; k += 4) {
        a0 += h1[k]! * d2[r - 2 * k]!;
        a1 += h1[k + 1]! * d2[r - 2 * k - 2]!;
        a2 += h1[k + 2]! * d2[r - 2 * k - 4]!;
        a3 += h1[k + 3]! * d2[r - 2 * k - 6]!;
      }
      const wet = a0 + a1 + (a2 + a3) + 0.5 * d2[r + 1 - 2 * M1]!;
      const x = inp[off + i]!;
      const d = dry[pos]!;
      dry[pos] = x;
      pos = pos + 1 === L ? 0 : pos + 1;
      const m = ramping ? mBuf[i]! : mConst;
      out[off + i] = m === 0 ? d : m === 1 ? wet : d + (wet - d) * m;
    }
    // Keep each stage's history at the front for the next chunk.
    x1.copyWithin(0, n, n + b1);
    x2.copyWithin(0, n2, n2 + b2);
    w4.copyWithin(0, 2 * n2, 2 * n2 + hw);
    d2.copyWithin(0, n2, n2 + hd);
    return pos;
  }
}
