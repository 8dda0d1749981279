import type { Decibels, Ratio } from '../model/MixState.ts';
import { checkSampleRate, clampParam } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';
import { Oversampler4x } from './Oversampler4x.ts';

/** Saturation settings: drive clamped to [-12, +36] dB, mix to [0, 1]. */
export interface SaturationParams {
  /** Gain into the tanh curve (0 dB: a full-scale sample maps to tanh(1) ≈ -2.4 dB). */
  drive: Decibels;
  /** 0 = dry only, 1 = saturated only. */
  mix: Ratio;
}

/** FIR length of the 4x oversampler (4k + 1): 97 taps ≈ 65 dB image/alias rejection. */
const TAPS = 97;
const BETA = 6.2;
const NEPER_PER_DB = Math.LN10 / 20;

/**
 * tanh waveshaper, wet = tanh(drive · x), run at 4x the sample rate through a linear-phase
 * polyphase FIR up/down sampler so harmonics above Nyquist do not fold back. The dry path
 * is delayed by the same {@link latencyFrames} (24 frames) so the blend has no comb filter:
 * mix = 0 is exactly the input delayed by latencyFrames.
 */
export class SaturationProcessor implements DspProcessor<SaturationParams> {
  readonly sampleRate: number;
  readonly latencyFrames: number;
  private params: SaturationParams = { drive: 0, mix: 1 };
  private readonly drive = new LinearRamp(1);
  private readonly mix = new LinearRamp(1);
  private readonly os = [new Oversampler4x(TAPS, BETA), new Oversampler4x(TAPS, BETA)];
  private readonly dry: Float32Array[];
  private dryPos = 0;
  private readonly hi = new Float64Array(4);
  private readonly rampFrames: number;
  private fresh = true;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.latencyFrames = this.os[0]!.roundTripLatency;
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
    for (const o of this.os) o.reset();
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
      const os = this.os[ch]!;
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
        os.up(x, hi, 0);
        hi[0] = Math.tanh(g * hi[0]!);
        hi[1] = Math.tanh(g * hi[1]!);
        hi[2] = Math.tanh(g * hi[2]!);
        hi[3] = Math.tanh(g * hi[3]!);
        const wet = os.down(hi, 0);
        const d = dry[pos]!;
        dry[pos] = x;
        pos = pos + 1 === L ? 0 : pos + 1;
        out[i] = m === 0 ? d : m === 1 ? wet : d + (wet - d) * m;
      }
      if (ch === channels - 1) this.dryPos = pos;
    }
    if (ramping) {
      // Advance the shared ramps by the block length exactly once.
      driveR.skip(frames);
      mixR.skip(frames);
    }
  }
}
