import type { Decibels } from '../model/MixState.ts';
import { TRACK_SPEC } from '../model/TrackSpec.ts';
import { checkFlag, checkParamsObject, checkSampleRate, clampToSpec } from './clampParam.ts';
import { dbToGain } from './decibels.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';

/** A channel-strip gain stage: input trim, fader gain, polarity and mute in one multiply. */
export interface GainParams {
  /** Fader gain, clamped to the track fader's range (model/TrackSpec.ts). */
  gain: Decibels;
  /** Input trim, clamped to the track trim's range. */
  trim: Decibels;
  /** True inverts polarity. */
  polarity: boolean;
  /** True multiplies by 0. */
  mute: boolean;
}

/**
 * The single linear factor a {@link GainProcessor} applies for `p`, rounded to float32 as
 * a GainNode's `gain` AudioParam would hold it. The browser sets `GainNode.gain` to exactly
 * this number so native and kernel multiply by the same value.
 */
export function linearGainOf(p: GainParams): number {
  if (p.mute) return 0;
  const g = dbToGain(p.gain + p.trim);
  return Math.fround(p.polarity ? -g : g);
}

const DEFAULT_GAIN: GainParams = { gain: 0, trim: 0, polarity: false, mute: false };

/**
 * Multiplies every channel by {@link linearGainOf}(params) in float32, like a GainNode.
 * Changes ramp linearly in the linear domain (as `linearRampToValueAtTime` on `gain`).
 */
export class GainProcessor implements DspProcessor<GainParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: GainParams = { ...DEFAULT_GAIN };
  private readonly g = new LinearRamp(1);
  private readonly rampFrames: number;
  private fresh = true;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
  }

  setParams(p: Partial<GainParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<GainParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<GainParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    if (p.gain !== undefined) next.gain = clampToSpec('gain', p.gain, TRACK_SPEC.gain);
    if (p.trim !== undefined) next.trim = clampToSpec('trim', p.trim, TRACK_SPEC.trim);
    if (p.polarity !== undefined) next.polarity = checkFlag('polarity', p.polarity);
    if (p.mute !== undefined) next.mute = checkFlag('mute', p.mute);
    this.params = next;
    const target = linearGainOf(next);
    if (snap) {
      this.g.snap(target);
      this.fresh = false;
    } else this.g.rampTo(target, this.rampFrames);
  }

  getParams(): Readonly<GainParams> {
    return this.params;
  }

  reset(): void {
    this.g.snap(linearGainOf(this.params));
    this.fresh = true;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const channels = Math.min(inputs.length, outputs.length);
    const ramp = this.g;
    let start = 0;
    // Sample-major while ramping so every channel sees the same per-sample factor.
    for (; start < frames && ramp.ramping; start++) {
      const g = Math.fround(ramp.next());
      for (let ch = 0; ch < channels; ch++) outputs[ch]![start] = inputs[ch]![start]! * g;
    }
    const g = ramp.value;
    for (let ch = 0; ch < channels; ch++) {
      const inp = inputs[ch]!;
      const out = outputs[ch]!;
      if (g === 1) {
        if (inp !== out) for (let i = start; i < frames; i++) out[i] = inp[i]!;
      } else for (let i = start; i < frames; i++) out[i] = inp[i]! * g;
    }
  }
}
