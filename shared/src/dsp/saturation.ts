import type { Decibels, Ratio } from '../model/MixState.ts';
import { checkSampleRate, clampParam } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';
import { Halfband2x } from './Halfband2x.ts';

/** Saturation settings: drive clamped to [-12, +36] dB, mix to [0, 1]. */
export interface SaturationParams {
  /** Gain into the soft clipper (0 dB: a full-scale sample maps to 0.78 ≈ -2.2 dB). */
  drive: Decibels;
  /** 0 = dry only, 1 = saturated only. */
  mix: Ratio;
}

/** Half-band stages: base<->2x (4·14−1 = 55 taps), 2x<->4x (19 taps), Kaiser β 7.5. */
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
  private readonly stage1 = [new Halfband2x(STAGE1_M, HALFBAND_BETA), new Halfband2x(STAGE1_M, HALFBAND_BETA)];
  private readonly stage2 = [new Halfband2x(STAGE2_M, HALFBAND_BETA), new Halfband2x(STAGE2_M, HALFBAND_BETA)];
  /** Last 4x sample of the previous call per channel: the one-sample alignment delay. */
  private readonly carry = new Float64Array(2);
  private readonly mid = new Float64Array(2);
  private readonly dry: Float32Array[];
  private dryPos = 0;
  private readonly hi = new Float64Array(2);
  private readonly rampFrames: number;
  private fresh = true;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.latencyFrames = OVERSAMPLING_LATENCY;
    this.dry = [new Float32Array(this.latencyFrames), new Float32Array(this.latencyFrames)];
  }

  setParams(p: Partial<SaturationParams>): void {
    const next = { ...this.params };
    if (p.drive !== undefined) next.drive = clampParam('drive', p.drive, -12, 36);
    if (p.mix !== undefined) next.mix = clampParam('mix', p.mix, 0, 1);
    this.params = next;
    // Drive ramps in the linear domain, like a gain.
    const g = Math.exp(next.drive * NEPER_PER_DB);
    if (this.fresh) {
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
    for (const o of this.stage1) o.reset();
    for (const o of this.stage2) o.reset();
    this.carry.fill(0);
    for (const d of this.dry) d.fill(0);
    this.dryPos = 0;
    this.drive.snap(Math.exp(this.params.drive * NEPER_PER_DB));
    this.mix.snap(this.params.mix);
    this.fresh = true;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    const hi = this.hi;
    const L = this.latencyFrames;
    const startPos = this.dryPos;
    // Ramps are shared by the channels: each channel peeks, the block end advances them once.
    const driveR = this.drive;
    const mixR = this.mix;
    const ramping = driveR.ramping || mixR.ramping;
    for (let ch = 0; ch < channels; ch++) {
      const inp = inputs[ch]!;
      const out = outputs[ch]!;
      const s1 = this.stage1[ch]!;
      const s2 = this.stage2[ch]!;
      const mid = this.mid;
      let carry = this.carry[ch]!;
      const dry = this.dry[ch]!;
      let pos = startPos;
      let g = driveR.value;
      let m = mixR.value;
      for (let i = 0; i < frames; i++) {
        if (ramping) {
          g = driveR.peek(i + 1);
          m = mixR.peek(i + 1);
        }
        const x = inp[i]!;
        s1.up(x, mid, 0);
        // 2x -> 4x, shape, 4x -> 2x, for each of the two 2x samples. The 4x stream is
        // delayed by one sample (carry) so the whole chain delays by a whole base sample.
        s2.up(mid[0]!, hi, 0);
        let c0 = softClip(g * carry);
        let c1 = softClip(g * hi[0]!);
        const w0 = s2.down(c0, c1);
        carry = hi[1]!;
        s2.up(mid[1]!, hi, 0);
        c0 = softClip(g * carry);
        c1 = softClip(g * hi[0]!);
        const w1 = s2.down(c0, c1);
        carry = hi[1]!;
        const wet = s1.down(w0, w1);
        const d = dry[pos]!;
        dry[pos] = x;
        pos = pos + 1 === L ? 0 : pos + 1;
        out[i] = m === 0 ? d : m === 1 ? wet : d + (wet - d) * m;
      }
      this.carry[ch] = carry;
      if (ch === channels - 1) this.dryPos = pos;
    }
    if (ramping) {
      // Advance the shared ramps by the block length exactly once.
      driveR.skip(frames);
      mixR.skip(frames);
    }
  }
}
