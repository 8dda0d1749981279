import { checkParamsObject, checkSampleRate, clampParam } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { LinearRamp } from './LinearRamp.ts';

export interface StereoPannerParams {
  /** -1 hard left .. +1 hard right. */
  pan: number;
}

const HALF_PI = Math.PI / 2;

/**
 * Equal-power panning exactly as the Web Audio spec's StereoPannerNode algorithm:
 * a mono input is spread with gains cos/sin((pan+1)/2 · π/2); a stereo input keeps both
 * channels and folds one side into the other (pan ≤ 0: L += R·cos(x), R = R·sin(x) with
 * x = (pan+1)·π/2; pan > 0: L = L·cos(x), R += L·sin(x) with x = pan·π/2). Gains are
 * rounded to float32 and every product and sum taken in float32, as Chromium does (its
 * output nulls bit for bit against StereoPannerNode, see test/nativeNodes.test.ts). Always writes two
 * output channels; accepts one or two input channels.
 */
export class StereoPannerProcessor implements DspProcessor<StereoPannerParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: StereoPannerParams = { pan: 0 };
  private readonly pan = new LinearRamp(0);
  private readonly rampFrames: number;
  private fresh = true;
  private readonly law: StereoPannerLaw = { law: 'mono', gl: 1, gr: 0 };

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
  }

  setParams(p: Partial<StereoPannerParams>): void {
    checkParamsObject(p);
    const next = { ...this.params };
    if (p.pan !== undefined) next.pan = clampParam('pan', p.pan, -1, 1);
    this.params = next;
    if (this.fresh) {
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
      stereoPannerLaw(ramping ? ramp.next() : ramp.value, inR !== null, law);
      const { gl, gr } = law;
      const end = ramping ? i + 1 : frames;
      if (inR === null) {
        for (; i < end; i++) {
          const s = inL[i]!;
          outL[i] = s * gl;
          outR[i] = s * gr;
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
}

/**
 * The spec's pan law for one pan value: which of its three formulas applies ('mono' input;
 * stereo input with pan <= 0 folds R into L: 'left'; pan > 0: 'right') and its two gains,
 * rounded to float32 as Chromium holds them. Written into `out` (no allocation per sample).
 */
export interface StereoPannerLaw {
  law: 'mono' | 'left' | 'right';
  gl: number;
  gr: number;
}

export function stereoPannerLaw(panValue: number, stereoInput: boolean, out: StereoPannerLaw = { law: 'mono', gl: 1, gr: 0 }): StereoPannerLaw {
  const pan = Math.fround(panValue);
  const x = !stereoInput ? (pan * 0.5 + 0.5) * HALF_PI : pan <= 0 ? (pan + 1) * HALF_PI : pan * HALF_PI;
  out.law = !stereoInput ? 'mono' : pan <= 0 ? 'left' : 'right';
  out.gl = Math.fround(Math.cos(x));
  out.gr = Math.fround(Math.sin(x));
  return out;
}
