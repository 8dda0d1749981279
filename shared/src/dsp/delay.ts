import { DELAY_SPEC } from '../model/BusSpec.ts';
import type { DelayState } from '../model/MixState.ts';
import { checkParamsObject, checkSampleRate, clampSettings } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';

/**
 * Delay settings: the aux delay's parameters (model/BusSpec.ts), clamped to their
 * ranges; damping (the loop low-pass corner) also to 0.45 · sampleRate.
 */
export type DelayParams = Omit<DelayState, 'type'>;

/** The longest delay time the model stores: the line's length. */
export const DELAY_MAX_SECONDS = DELAY_SPEC.time.range.max;

/**
 * Stereo feedback delay, 100 % wet (for an aux return), each channel its own line:
 * out = line(t − time); line(t) = in + feedback · lowpass(out). The one-pole low-pass has
 * unity DC gain, so echo n carries feedback^(n−1) of the input's DC content and each echo
 * gets darker. Time changes ramp linearly (read with linear interpolation: a tape-like
 * glide); feedback ramps too; damping applies at the next sample.
 */
export class DelayProcessor implements DspProcessor<DelayParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: DelayParams = { time: 0.25, feedback: 0.35, damping: 6000 };
  private readonly delayFrames = new LinearRamp(0.25);
  private readonly feedback = new LinearRamp(0.35);
  private dampCoef = 0;
  private readonly buf: Float32Array[];
  private pos = 0;
  private readonly lp = new Float64Array(2);
  private readonly rampFrames: number;
  private fresh = true;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    const len = Math.ceil(DELAY_MAX_SECONDS * sampleRate) + 2;
    this.buf = [new Float32Array(len), new Float32Array(len)];
    this.setParams(this.params);
    this.fresh = true;
  }

  setParams(p: Partial<DelayParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<DelayParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<DelayParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    clampSettings(p, DELAY_SPEC, next, { damping: 0.45 * this.sampleRate });
    this.params = next;
    const frames = next.time * this.sampleRate;
    if (snap) {
      this.delayFrames.snap(frames);
      this.feedback.snap(next.feedback);
      this.fresh = false;
    } else {
      this.delayFrames.rampTo(frames, this.rampFrames);
      this.feedback.rampTo(next.feedback, this.rampFrames);
    }
    this.dampCoef = Math.exp((-2 * Math.PI * next.damping) / this.sampleRate);
  }

  getParams(): Readonly<DelayParams> {
    return this.params;
  }

  reset(): void {
    for (const b of this.buf) b.fill(0);
    this.lp.fill(0);
    this.pos = 0;
    this.delayFrames.snap(this.params.time * this.sampleRate);
    this.feedback.snap(this.params.feedback);
    this.fresh = true;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const channels = Math.min(outputs.length, 2);
    const dR = this.delayFrames;
    const fR = this.feedback;
    const ramping = dR.ramping || fR.ramping;
    const a = this.dampCoef;
    const start = this.pos;
    for (let ch = 0; ch < channels; ch++) {
      const inp = inputs[Math.min(ch, inputs.length - 1)]!;
      const out = outputs[ch]!;
      const buf = this.buf[ch]!;
      const len = buf.length;
      let lp = this.lp[ch]!;
      let pos = start;
      let d = dR.value;
      let fb = fR.value;
      for (let i = 0; i < frames; i++) {
        if (ramping) {
          d = dR.peek(i + 1);
          fb = fR.peek(i + 1);
        }
        let rp = pos - d;
        if (rp < 0) rp += len;
        const i0 = Math.floor(rp);
        const frac = rp - i0;
        const i1 = i0 + 1 === len ? 0 : i0 + 1;
        const s0 = buf[i0]!;
        const y = frac === 0 ? s0 : s0 + (buf[i1]! - s0) * frac;
        lp = y + a * (lp - y);
        buf[pos] = inp[i]! + fb * lp;
        pos = pos + 1 === len ? 0 : pos + 1;
        out[i] = y;
      }
      this.lp[ch] = lp;
      if (ch === channels - 1) this.pos = pos;
    }
    if (ramping) {
      dR.skip(frames);
      fR.skip(frames);
    }
  }
}
