/**
 * Stereo pan laws, in both engines: the client engine in Chromium (balance: a splitter, two
 * native GainNodes and a merger; 'webaudio': StereoPannerNode) and the server bake
 * (shared/dsp, WebAssembly strip chains), each checked sample by sample against the
 * formula written out here, and measured: hard left on a stereo stem with equal channels
 * raises the level under the Web Audio law (+6 dB peak, +3 LU) and never under balance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixState, PanLaw } from '@mixroom/shared/model';
import { measureLoudness } from '@mixroom/shared/dsp';
import { buildMixPlan, planLatencyFrames } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeInNode } from './browser/bakeInNode.ts';
import { startEngineHarness } from './browser/startEngineHarness.ts';
import type { EngineHarness } from './browser/startEngineHarness.ts';
import { noiseStem, peakDb, sineStem } from './browser/testStems.ts';

const RATE = 48000;
const FRAMES = RATE;
/**
 * What the browser may differ by. Balance on a stereo input is native GainNodes (float32
 * products, like the formula): exact but for the transport's hold level (2^-100 on samples
 * that are exactly 0). StereoPannerNode computes its products and sums its own way: within
 * one float32 step of the formula (about -144 dBFS at these levels).
 */
const GAIN_NODE_EXACT = 2 ** -90;
const STEREO_PANNER_NODE = 10 ** (-130 / 20);
const f32 = Math.fround;
let h: EngineHarness;
const stems = new Map<string, Float32Array[]>();

function putStem(key: string, channels: Float32Array[]): void {
  stems.set(key, channels);
  h.putStem(key, channels);
}

beforeAll(async () => {
  h = await startEngineHarness();
  putStem('lr', [noiseStem(FRAMES, 0.4, 81), sineStem(FRAMES, 330, 0.4, RATE)]);
  const music = Float32Array.from(noiseStem(FRAMES, 0.3, 82), (v, i) => v + 0.3 * Math.sin((2 * Math.PI * 110 * i) / RATE));
  putStem('equal', [music, music.slice()]);
  putStem('mono', [noiseStem(FRAMES, 0.5, 83)]);
});

afterAll(async () => {
  await h?.close();
});

/** The laws written out (float32 gains, float32 products and sums, as GainNode and StereoPannerNode compute). */
function expected(law: PanLaw, pan: number, l: Float32Array, r: Float32Array | null): [Float32Array, Float32Array] {
  const p = f32(pan);
  const n = l.length;
  const outL = new Float32Array(n);
  const outR = new Float32Array(n);
  if (r === null) {
    const x = (p * 0.5 + 0.5) * (Math.PI / 2);
    const [gl, gr] = [f32(Math.cos(x)), f32(Math.sin(x))];
    for (let i = 0; i < n; i++) [outL[i], outR[i]] = [f32(l[i]! * gl), f32(l[i]! * gr)];
    return [outL, outR];
  }
  const x = p <= 0 ? (p + 1) * (Math.PI / 2) : p * (Math.PI / 2);
  const [c, s] = [f32(Math.cos(x)), f32(Math.sin(x))];
  for (let i = 0; i < n; i++) {
    const [a, b] = [l[i]!, r[i]!];
    if (law === 'balance') [outL[i], outR[i]] = p <= 0 ? [a, f32(b * s)] : [f32(a * c), b];
    else [outL[i], outR[i]] = p <= 0 ? [f32(a + f32(b * c)), f32(b * s)] : [f32(a * c), f32(b + f32(a * s))];
  }
  return [outL, outR];
}

async function bothEngines(state: MixState): Promise<{ browser: Float32Array[]; bake: Float32Array[]; latency: number }> {
  const plan = buildMixPlan(state);
  const [browser, bake] = await Promise.all([h.render({ plan, frames: plan.frames, meters: false }), bakeInNode(plan, stems, plan.frames)]);
  return { browser: browser.channels, bake, latency: planLatencyFrames(plan) };
}

/** Largest |got[i + latency] - want[i]| over both channels. */
function maxError(got: Float32Array[], want: [Float32Array, Float32Array], latency: number): number {
  let e = 0;
  for (let c = 0; c < 2; c++) for (let i = 0; i + latency < FRAMES; i++) e = Math.max(e, Math.abs(got[c]![i + latency]! - want[c]![i]!));
  return e;
}

describe('pan laws: both engines compute the formula exactly', () => {
  for (const law of ['balance', 'webaudio'] as const) {
    it(`${law}: a stereo stem (different L and R) at pans -1 .. 1, sample for sample`, async () => {
      const [l, r] = stems.get('lr')!;
      for (const pan of [-1, -0.6, -0.25, 0, 0.3, 0.75, 1]) {
        const { browser, bake, latency } = await bothEngines(testMix.state([testMix.track('t', { stem: testMix.stem('lr', 2, FRAMES), pan, panLaw: law })]));
        const want = expected(law, pan, l!, r!);
        const errors = [maxError(browser, want, latency), maxError(bake, want, latency)];
        console.log(`${law} pan ${pan}: max |error| vs the formula: browser ${errors[0]}, bake ${errors[1]}`);
        expect(errors[0]).toBeLessThanOrEqual(law === 'balance' ? GAIN_NODE_EXACT : STEREO_PANNER_NODE);
        expect(errors[1]).toBe(0);
      }
    });
  }

  it('a mono stem gets the spec\'s equal-power mono law under either law', async () => {
    const [m] = stems.get('mono')!;
    for (const law of ['balance', 'webaudio'] as const) {
      for (const pan of [-1, -0.4, 0, 0.8]) {
        const { browser, bake, latency } = await bothEngines(testMix.state([testMix.track('t', { stem: testMix.stem('mono', 1, FRAMES), pan, panLaw: law })]));
        const want = expected(law, pan, m!, null);
        expect(maxError(browser, want, latency), `${law} ${pan}`).toBeLessThanOrEqual(STEREO_PANNER_NODE);
        expect(maxError(bake, want, latency), `${law} ${pan}`).toBe(0);
      }
    }
  });

  it('a group bus pans its stereo sum by its own law', async () => {
    const [l, r] = stems.get('lr')!;
    for (const law of ['balance', 'webaudio'] as const) {
      const state = testMix.state(
        [testMix.track('t', { stem: testMix.stem('lr', 2, FRAMES), output: 'grp' })],
        [testMix.bus('grp', 'group', { pan: -0.5, panLaw: law })],
      );
      const { browser, bake, latency } = await bothEngines(state);
      const want = expected(law, -0.5, l!, r!);
      expect(maxError(browser, want, latency), law).toBeLessThanOrEqual(law === 'balance' ? GAIN_NODE_EXACT : STEREO_PANNER_NODE);
      expect(maxError(bake, want, latency), law).toBe(0);
    }
  });
});

describe('pan laws: level of a stereo stem with equal channels, hard left against centre', () => {
  it('the Web Audio law raises it (+6 dB peak, +3 LU); balance never does (0 dB peak, -3 LU)', async () => {
    const stem = testMix.stem('equal', 2, FRAMES);
    const measure = (x: Float32Array[]) => ({ peak: Math.max(peakDb(x[0]!), peakDb(x[1]!)), lufs: measureLoudness(x, RATE).integrated! });
    for (const law of ['webaudio', 'balance'] as const) {
      const centre = await bothEngines(testMix.state([testMix.track('t', { stem, pan: 0, panLaw: law })]));
      const left = await bothEngines(testMix.state([testMix.track('t', { stem, pan: -1, panLaw: law })]));
      for (const engine of ['browser', 'bake'] as const) {
        const c = measure(centre[engine]);
        const hard = measure(left[engine]);
        const dPeak = hard.peak - c.peak;
        const dLu = hard.lufs - c.lufs;
        console.log(`${law}, ${engine}: hard left vs centre: peak ${dPeak >= 0 ? '+' : ''}${dPeak.toFixed(2)} dB, loudness ${dLu >= 0 ? '+' : ''}${dLu.toFixed(2)} LU`);
        if (law === 'webaudio') {
          expect(dPeak).toBeCloseTo(6.02, 1);
          expect(dLu).toBeCloseTo(3.01, 1);
        } else {
          expect(dPeak).toBeCloseTo(0, 2);
          expect(dLu).toBeCloseTo(-3.01, 1);
        }
      }
    }
  });
});
