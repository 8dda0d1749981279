import { PAN_LAWS, type PanLaw } from '../model/MixState.ts';
import { checkParamsObject, checkSampleRate, clampParam } from './clampParam.ts';
import { DspParamError } from './DspParamError.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';

export interface StereoPannerParams {
  /** -1 hard left .. +1 hard right. */
  pan: number;
  /** What a stereo input gets (see {@link PanLaw}); 'webaudio' unless set. A change applies at once. */
  law: PanLaw;
}

const HALF_PI = Math.PI / 2;

/**
 * A strip's pan. A mono input is spread with the Web Audio spec's equal-power gains
 * cos/sin((pan+1)/2 · π/2), whatever the law. A stereo input:
 *
 * - law 'webaudio', exactly the spec's StereoPannerNode algorithm: both channels are kept
 *   and one side is folded into the other (pan ≤ 0: L += R·cos(x), R = R·sin(x) with
 *   x = (pan+1)·π/2; pan > 0: L = L·cos(x), R += L·sin(x) with x = pan·π/2);
 * - law 'balance': the same attenuation of the far side, without the fold (pan ≤ 0: L = L,
 *   R = R·sin(x); pan > 0: L = L·cos(x), R = R), as two native GainNodes compute it.
 *
 * Gains are rounded to float32 and every product and sum taken in float32: the balance law
 * equals Chromium's GainNodes bit for bit, the spec's law its StereoPannerNode within one
 * float32 step (test/panLaw.test.ts, test/nativeNodes.test.ts). Always writes two output
 * channels; accepts one or two input channels.
 */
export class StereoPannerProcessor implements DspProcessor<StereoPannerParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: StereoPannerParams = { pan: 0, law: 'webaudio' };
  private readonly pan = new LinearRamp(0);
  private readonly rampFrames: number;
  private fresh = true;
  private readonly law: StereoPannerLaw = { law: 'mono', gl: 1, gr: 0 };

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
  }

  setParams(p: Partial<StereoPannerParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<StereoPannerParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<StereoPannerParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    if (p.pan !== undefined) next.pan = clampParam('pan', p.pan, -1, 1);
    if (p.law !== undefined) {
      if (!(PAN_LAWS as readonly string[]).includes(p.law)) throw new DspParamError('law', p.law);
      next.law = p.law;
    }
    this.params = next;
    if (snap) {
      this.pan.snap(next.pan);
      this.fresh = false;
    } else this.pan.rampTo(next.pan, this.rampFrames);
  }

  getParams(): Readonly<StereoPannerParams> {
    return this.params;
  }

  reset(): void {
    this.pan.snap(this.params.pan);
    this.fresh = true;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const inL = inputs[0]!;
    const inR = inputs.length > 1 ? inputs[1]! : null;
    const outL = outputs[0]!;
    const outR = outputs[1]!;
    const ramp = this.pan;
    const law = this.law;
    let i = 0;
    while (i < frames) {
      // Constant pan for the rest of the block unless ramping (then one sample at a time).
      const ramping = ramp.ramping;
      stereoPannerLaw(ramping ? ramp.next() : ramp.value, inR !== null, law, this.params.law);
      const { gl, gr } = law;
      const end = ramping ? i + 1 : frames;
      if (inR === null) {
        for (; i < end; i++) {
          const s = inL[i]!;
          outL[i] = s * gl;
          outR[i] = s * gr;
        }
      } else if (law.law === 'balance') {
        for (; i < end; i++) {
          const l = inL[i]!;
          const r = inR[i]!;
          outL[i] = l * gl;
          outR[i] = r * gr;
        }
      } else if (law.law === 'left') {
        for (; i < end; i++) {
          const l = inL[i]!;
          const r = inR[i]!;
          outL[i] = l + Math.fround(r * gl);
          outR[i] = r * gr;
        }
      } else {
        for (; i < end; i++) {
          const l = inL[i]!;
          const r = inR[i]!;
          outL[i] = l * gl;
          outR[i] = r + Math.fround(l * gr);
        }
      }
    }
  }
  /**
   * Processes with a per-sample pan (an automated AudioParam's values for these frames),
   * as Chromium's StereoPannerNode does for sample-accurate values: the law of each
   * frame's pan. Leaves the pan settled on the last value.
   */
  processAutomated(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number, pan: Float32Array): void {
    const inL = inputs[0]!;
    const inR = inputs.length > 1 ? inputs[1]! : null;
    const outL = outputs[0]!;
    const outR = outputs[1]!;
    const law = this.law;
    let p = Number.NaN;
    for (let i = 0; i < frames; i++) {
      if (pan[i] !== p) {
        p = pan[i]!;
        stereoPannerLaw(p, inR !== null, law, this.params.law);
      }
      const l = inL[i]!;
      if (inR === null) {
        outL[i] = l * law.gl;
        outR[i] = l * law.gr;
        continue;
      }
      const r = inR[i]!;
      if (law.law === 'balance') {
        outL[i] = l * law.gl;
        outR[i] = r * law.gr;
      } else if (law.law === 'left') {
        outL[i] = l + Math.fround(r * law.gl);
        outR[i] = r * law.gr;
      } else {
        outL[i] = l * law.gl;
        outR[i] = r + Math.fround(l * law.gr);
      }
    }
    if (frames > 0) {
      this.params = { ...this.params, pan: p };
      this.pan.snap(p);
    }
  }
}

/**
 * The pan formula for one pan value: which one applies ('mono' input; a stereo input under
 * the spec's law with pan <= 0 folds R into L: 'left'; pan > 0: 'right'; under the balance
 * law: 'balance', L·gl and R·gr) and its two gains, rounded to float32 as Chromium holds
 * them. Written into `out` (no allocation per sample).
 */
export interface StereoPannerLaw {
  law: 'mono' | 'left' | 'right' | 'balance';
  gl: number;
  gr: number;
}

export function stereoPannerLaw(
  panValue: number,
  stereoInput: boolean,
  out: StereoPannerLaw = { law: 'mono', gl: 1, gr: 0 },
  panLaw: PanLaw = 'webaudio',
): StereoPannerLaw {
  const pan = Math.fround(panValue);
  const x = !stereoInput ? (pan * 0.5 + 0.5) * HALF_PI : pan <= 0 ? (pan + 1) * HALF_PI : pan * HALF_PI;
  out.law = !stereoInput ? 'mono' : panLaw === 'balance' ? 'balance' : pan <= 0 ? 'left' : 'right';
  out.gl = Math.fround(Math.cos(x));
  out.gr = Math.fround(Math.sin(x));
  // Balance keeps the near side at unity; the far side gets the spec's gain for it.
  if (out.law === 'balance') {
    if (pan <= 0) out.gl = 1;
    else out.gr = 1;
  }
  return out;
}

/** The two channel gains of the balance law at `pan` for a stereo input (float32), as the browser sets its GainNodes. */
export function balanceGains(pan: number): { gl: number; gr: number } {
  const { gl, gr } = stereoPannerLaw(pan, true, undefined, 'balance');
  return { gl, gr };
}
