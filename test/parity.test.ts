/**
 * Browser/server parity: the same MixPlan rendered by the client engine in headless
 * Chromium (OfflineAudioContext, native nodes + shared/dsp worklets) and by the server
 * bake (shared/dsp in Node, no Web Audio) must null to <= -90 dBFS. Per-processor cases
 * first so a failure points at one node kind, then a full plan exercising every
 * processor, then a long multitrack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixState, TrackState } from '@mixroom/shared/model';
import { buildMixPlan, PROCESSOR_KERNELS } from '@mixroom/shared/plan';
import type { MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeInNode } from './browser/bakeInNode.ts';
import { renderPlanWithKernels } from './browser/renderPlanWithKernels.ts';
import { startEngineHarness } from './browser/startEngineHarness.ts';
import type { EngineHarness } from './browser/startEngineHarness.ts';
import { bassStem, burstStem, kickStem, noiseStem, peakDb, residualDb, sineStem } from './browser/testStems.ts';

const RATE = 48000;
const LIMIT_DB = -90;

let h: EngineHarness;
const stems = new Map<string, Float32Array[]>();

function putStem(key: string, channels: Float32Array[]): void {
  stems.set(key, channels);
  h.putStem(key, channels);
}

beforeAll(async () => {
  h = await startEngineHarness();
  const n = RATE; // 1 s stems for the per-processor cases
  putStem('noise-m', [noiseStem(n, 0.5, 11)]);
  putStem('noise-s', [noiseStem(n, 0.5, 12), noiseStem(n, 0.5, 13)]);
  putStem('kick', [kickStem(n, RATE, 0.25)]);
  putStem('bass', [bassStem(n, RATE)]);
  putStem('hot-s', [noiseStem(n, 0.9, 14), sineStem(n, 220, 0.9, RATE)]);
});

afterAll(async () => {
  await h?.close();
});

/** Renders `plan` on both sides and returns the residual peak (dBFS) and the signal's peak. */
async function nullTest(label: string, plan: MixPlan): Promise<{ residual: number; level: number }> {
  const frames = plan.frames;
  const [browser, bake] = await Promise.all([h.render({ plan, frames }), bakeInNode(plan, stems, frames)]);
  const residual = Math.max(residualDb(browser.channels[0]!, bake[0]!), residualDb(browser.channels[1]!, bake[1]!));
  const level = Math.max(peakDb(browser.channels[0]!), peakDb(browser.channels[1]!));
  console.log(`parity ${label}: residual ${residual.toFixed(1)} dBFS (signal peak ${level.toFixed(1)} dBFS)`);
  return { residual, level };
}

function oneTrack(over: Partial<TrackState>, key = 'noise-s', channels = 2): MixState {
  return testMix.state([testMix.track('t', { stem: testMix.stem(key, channels, RATE), ...over })]);
}

const base = testMix.track('x');
const band = (type: 'peaking' | 'lowshelf' | 'highshelf' | 'notch' | 'bandpass', freq: number, gain: number, q: number) => ({
  ...base.eq,
  bands: [{ on: true, type, freq, gain, q }, base.eq.bands[1], base.eq.bands[2], base.eq.bands[3]] as TrackState['eq']['bands'],
});

const missing = (kinds: string[]) => kinds.filter((k) => !(k in PROCESSOR_KERNELS));

describe('per-processor parity (engine in Chromium vs server bake)', () => {
  const cases: [string, MixState][] = [
    ['fader -6 dB, trim +3 dB, polarity', oneTrack({ gain: -6, trim: 3, polarity: true })],
    ['highpass 120 Hz', oneTrack({ eq: { ...base.eq, hpf: { on: true, freq: 120, q: Math.SQRT1_2 } } })],
    ['lowpass 5 kHz Q 2', oneTrack({ eq: { ...base.eq, lpf: { on: true, freq: 5000, q: 2 } } })],
    ['peaking +6 dB 1 kHz', oneTrack({ eq: band('peaking', 1000, 6, 1.5) })],
    ['lowshelf +4 dB 200 Hz', oneTrack({ eq: band('lowshelf', 200, 4, 1) })],
    ['highshelf -5 dB 6 kHz', oneTrack({ eq: band('highshelf', 6000, -5, 1) })],
    ['notch 3 kHz', oneTrack({ eq: band('notch', 3000, 0, 4) })],
    ['bandpass 800 Hz', oneTrack({ eq: band('bandpass', 800, 0, 2) })],
    ['pan mono -0.6', oneTrack({ pan: -0.6 }, 'noise-m', 1)],
    ['pan stereo 0.4', oneTrack({ pan: 0.4 })],
    ['compressor (self)', oneTrack({ comp: { ...base.comp, on: true, threshold: -24, ratio: 6, attack: 0.002, release: 0.05 } }, 'bass', 1)],
  ];
  for (const [label, state] of cases) {
    it(label, async () => {
      const { residual, level } = await nullTest(label, buildMixPlan(state));
      expect(level).toBeGreaterThan(-30);
      expect(residual).toBeLessThanOrEqual(LIMIT_DB);
    });
  }

  it('compressor with a sidechain (kick ducks bass)', async () => {
    const kick = testMix.track('kick', { stem: testMix.stem('kick', 1, RATE), mute: true });
    const bass = testMix.track('bass', { stem: testMix.stem('bass', 1, RATE), comp: { ...base.comp, on: true, threshold: -30, ratio: 10, attack: 0.001, release: 0.08, sidechain: 'kick' } });
    const { residual } = await nullTest('sidechain compressor', buildMixPlan(testMix.state([kick, bass])));
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });

  it('master glue compressor and true-peak limiter', async () => {
    const s = oneTrack({}, 'hot-s');
    s.master = { gain: 3, glue: { on: true, threshold: -12, ratio: 3, attack: 0.005, release: 0.1, knee: 6, makeup: 2 }, limiter: { on: true, ceiling: -1, release: 0.05 } };
    const { residual, level } = await nullTest('master glue + limiter', buildMixPlan(s));
    expect(level).toBeLessThanOrEqual(-0.99);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });

  for (const kind of ['saturation', 'reverb', 'delay'] as const) {
    it.skipIf(missing([kind]).length > 0)(`${kind} worklet`, async () => {
      const s =
        kind === 'saturation'
          ? oneTrack({ sat: { on: true, drive: 12, mix: 0.7 } })
          : testMix.state([testMix.track('t', { stem: testMix.stem('noise-m', 1, RATE), sends: [{ bus: 'fx', level: 0, pre: false, on: true }], mute: true })], [
              testMix.bus('fx', 'aux', { effect: kind === 'reverb' ? { type: 'reverb', decay: 1.2, preDelay: 0.01, damping: 7000 } : { type: 'delay', time: 0.125, feedback: 0.4, damping: 6000 } }),
            ]);
      const { residual } = await nullTest(kind, buildMixPlan(s));
      expect(residual).toBeLessThanOrEqual(LIMIT_DB);
    });
  }
});

describe('reference runner agrees with the bake', () => {
  it('nulls the minimal shared/dsp runner against bakeMix on an EQ + pan + compressor strip', async () => {
    const plan = buildMixPlan(oneTrack({ pan: 0.3, eq: band('peaking', 500, 5, 2), comp: { ...base.comp, on: true, threshold: -20 } }));
    const a = renderPlanWithKernels(plan, stems, plan.frames, 1000);
    const b = await bakeInNode(plan, stems, plan.frames);
    expect(Math.max(residualDb(a[0]!, b[0]!), residualDb(a[1]!, b[1]!))).toBeLessThanOrEqual(-120);
  });
});
