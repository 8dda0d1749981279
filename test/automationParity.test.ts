/**
 * Automation in sound: the same automated MixPlan rendered by the client engine in headless
 * Chromium (AudioParam events on native nodes) and by the server bake (the same schedules
 * evaluated per sample) must null to <= -90 dBFS, fast moves included; and a seek or a loop
 * wrap lands on the automated value at once (the browser's render after the jump nulls
 * against the bake's render of the same song frames, from the first frame), on native
 * params and on worklet kernels' params alike (against a bake started at the jump's target).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationLane, AutomationPoint, MixState, TrackState } from '@mixroom/shared/model';
import { buildMixPlan, planLatencyFrames } from '@mixroom/shared/plan';
import type { MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeInNode } from './browser/bakeInNode.ts';
import { startEngineHarness } from './browser/startEngineHarness.ts';
import type { EngineHarness } from './browser/startEngineHarness.ts';
import { noiseStem, peakDb, residualDb, rmsDb, sineStem } from './browser/testStems.ts';
import { DEFAULT_EQ_BANDS, defaultDelay, defaultMaster, defaultSaturation, defaultSend } from '@mixroom/shared/model';

const RATE = 48000;
const LIMIT_DB = -90;
const SECONDS = 2;

let h: EngineHarness;
const stems = new Map<string, Float32Array[]>();

beforeAll(async () => {
  h = await startEngineHarness();
  const put = (key: string, channels: Float32Array[]) => {
    stems.set(key, channels);
    h.putStem(key, channels);
  };
  put('noise-s', [noiseStem(SECONDS * RATE, 0.4, 31), noiseStem(SECONDS * RATE, 0.4, 32)]);
  put('noise-m', [noiseStem(SECONDS * RATE, 0.4, 33)]);
  put('tone-m', [sineStem(SECONDS * RATE, 997, 0.5, RATE)]);
});

afterAll(async () => {
  await h?.close();
});

let ids = 0;
/** A lane from [seconds, value, curve?] breakpoints (linear unless 'step'). */
function lane(...pts: [number, number, ('linear' | 'step')?][]): AutomationLane {
  return { points: pts.map(([time, value, curve]): AutomationPoint => ({ id: `p${ids++}`, time, value, curve: curve ?? 'linear' })) };
}

/** Rides a fader up and down, with a ±12 dB swing in 20 ms, a held step and a jump into a ramp. */
const faderRide = lane([0.1, -6], [0.5, 3], [0.52, -9], [0.54, 3], [0.8, -20, 'step'], [1.1, -3], [1.6, 6, 'step'], [1.8, -12]);

function track(id: string, stem: string, channels: number, over: Partial<TrackState>): TrackState {
  return testMix.track(id, { stem: testMix.stem(stem, channels, SECONDS * RATE), ...over });
}

function withoutLanes(state: MixState): MixState {
  return {
    ...state,
    tracks: state.tracks.map((t) => ({ ...t, automation: {} })),
    buses: state.buses.map((b) => ({ ...b, automation: {} })),
    master: { ...state.master, automation: {} },
  };
}

async function nullTest(label: string, plan: MixPlan, extra: { seek?: number; loop?: { start: number; end: number } } = {}) {
  const frames = plan.frames;
  const [browser, bake] = await Promise.all([h.render({ plan, frames, meters: false, ...extra }), bakeInNode(plan, stems, frames)]);
  return { browser: browser.channels, bake };
}

function residual(a: Float32Array[], b: Float32Array[], from = 0, to = a[0]!.length, shift = 0): number {
  const r = (x: Float32Array, y: Float32Array) => residualDb(x.subarray(from, to), y.subarray(from + shift, to + shift));
  return Math.max(r(a[0]!, b[0]!), r(a[1]!, b[1]!));
}

describe('automation parity (engine in Chromium vs server bake)', () => {
  const band = (base: TrackState['eq']) => ({
    ...base,
    bands: [base.bands[0], { ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking' as const, freq: 1200, gain: 0, q: 1.4 }, base.bands[2], base.bands[3]] as TrackState['eq']['bands'],
  });
  const eq = band(testMix.track('x').eq);
  const cases: [string, MixState][] = [
    ['fader ride (stereo)', testMix.state([track('t', 'noise-s', 2, { automation: { gain: faderRide } })])],
    ['pan sweep, mono (StereoPannerNode)', testMix.state([track('t', 'noise-m', 1, { automation: { pan: lane([0.2, -1], [0.4, 1], [0.42, -0.8], [1.2, 0.6, 'step'], [1.5, -0.3]) } })])],
    [
      'pan sweep, stereo balance law (two gains)',
      testMix.state([track('t', 'noise-s', 2, { automation: { pan: lane([0.2, -1], [0.6, 1], [0.62, -0.5], [1.2, 0.7, 'step'], [1.5, 0]) } })]),
    ],
    ['EQ band gain and frequency', testMix.state([track('t', 'noise-s', 2, { eq, automation: { 'eq.bands.1.gain': lane([0, 0], [0.5, 12], [0.52, -12], [1.5, 6]), 'eq.bands.1.freq': lane([0.3, 300], [1.4, 5000]) } })])],
    [
      'send level into a delay return, and a mute lane',
      testMix.state(
        [
          track('t', 'noise-m', 1, {
            sends: [{ ...defaultSend('fx'), level: -6, pre: false, on: true }],
            automation: { 'sends.fx.level': lane([0.1, -40], [0.6, 0], [0.62, -12], [1.4, -3]), mute: lane([0, 0, 'step'], [0.9, 1, 'step'], [1.2, 0, 'step']) },
          }),
        ],
        [testMix.bus('fx', 'aux', { effect: { ...defaultDelay(), time: 0.125, feedback: 0.4, damping: 6000 } })],
      ),
    ],
    [
      'compressor threshold and saturation drive (worklet kernels, per control block)',
      testMix.state([
        track('t', 'noise-s', 2, {
          comp: { ...testMix.track('x').comp, on: true, ratio: 6, attack: 0.003, release: 0.08 },
          sat: { ...defaultSaturation(), on: true, drive: 6, mix: 0.8 },
          automation: { 'comp.threshold': lane([0.2, -6], [0.6, -40], [0.62, -10], [1.3, -30, 'step'], [1.6, -12]), 'sat.drive': lane([0.1, 0], [0.9, 24], [1.2, 3, 'step']) },
        }),
      ]),
    ],
    [
      'master fader and limiter ceiling',
      (() => {
        const s = testMix.state([track('t', 'noise-s', 2, { gain: 6 })]);
        s.master = { ...s.master, limiter: { ...defaultMaster().limiter, on: true, ceiling: -1, release: 0.05 }, automation: { gain: lane([0, 0], [1, 6], [1.02, -3]), 'limiter.ceiling': lane([0.3, -1], [0.8, -9], [1.4, -3, 'step']) } };
        return s;
      })(),
    ],
  ];
  for (const [label, state] of cases) {
    it(label, async () => {
      const plan = buildMixPlan(state);
      const { browser, bake } = await nullTest(label, plan);
      const r = residual(browser, bake);
      const level = Math.max(peakDb(bake[0]!), peakDb(bake[1]!));
      // The lanes really move the sound: the same mix without them is far from it.
      const still = buildMixPlan(withoutLanes(state));
      const moved = residual(bake, await bakeInNode(still, stems, still.frames));
      console.log(`automation parity ${label}: residual ${r.toFixed(1)} dBFS (signal peak ${level.toFixed(1)} dBFS; the lanes move it by ${moved.toFixed(1)} dBFS)`);
      expect(level).toBeGreaterThan(-20);
      expect(moved).toBeGreaterThan(-30);
      expect(r).toBeLessThanOrEqual(LIMIT_DB);
    });
  }

  it('the automated render is not the static one (the lane really moves the sound)', async () => {
    const moving = buildMixPlan(testMix.state([track('t', 'tone-m', 1, { automation: { gain: lane([0, -40], [2, 0]) } })]));
    const bake = await bakeInNode(moving, stems, moving.frames);
    // -40 dB at the start, -20 dB at 1 s (the tone is 0.5 peak: -6 dBFS, -3 dB per side at centre).
    const at = (s: number) => rmsDb(bake[0]!, Math.round(s * RATE), Math.round(s * RATE) + 480);
    expect(at(0.01) - at(1.0)).toBeCloseTo(-20, 0);
  });
});

describe('seek and loop land on the automated value at once', () => {
  // A tone under a fader lane from -40 dB (0 s) to 0 dB (2 s): the static fader (0 dB) is never
  // heard. The seek lands at -10 dB; a ramp from the fader's last value would start elsewhere.
  const state = testMix.state([track('t', 'tone-m', 1, { gain: 0, automation: { gain: lane([0, -40], [2, 0]) } })]);

  it('after a seek the first frames play the lane at the seek point, not a ramp from the old value', async () => {
    const plan = { ...buildMixPlan(state), frames: RATE / 2 };
    const seek = 1.5;
    const browser = (await h.render({ plan, frames: plan.frames, meters: false, seek })).channels;
    const full = buildMixPlan(state);
    const bake = await bakeInNode(full, stems, full.frames);
    const from = Math.round(seek * RATE);
    // The output lags by the plan's latency (the master limiter's lookahead): sound starts there.
    const lat = planLatencyFrames(full);
    const first = residual(browser, bake, lat, lat + 480, from);
    const level = rmsDb(browser[0]!, lat, lat + 480);
    const expected = rmsDb(bake[0]!, from + lat, from + lat + 480);
    console.log(`seek to ${seek} s: first 10 ms at ${level.toFixed(2)} dBFS (lane says ${expected.toFixed(2)}), residual ${first.toFixed(1)} dBFS`);
    expect(Math.abs(level - expected)).toBeLessThan(0.05);
    expect(first).toBeLessThanOrEqual(LIMIT_DB);
  });

  it('a loop wrap jumps back to the lane value at the loop start at once', async () => {
    const plan = { ...buildMixPlan(state), frames: Math.round(1.6 * RATE) };
    const loop = { start: 0.25, end: 1.0 };
    const browser = (await h.render({ plan, frames: plan.frames, meters: false, loop })).channels;
    const full = buildMixPlan(state);
    const bake = await bakeInNode(full, stems, full.frames);
    const end = loop.end * RATE + planLatencyFrames(full);
    const before = residual(browser, bake, 0, end);
    // After the wrap, context frame end + k plays song frame loop.start + k.
    const after = residual(browser, bake, end, end + 0.6 * RATE, (loop.start - loop.end) * RATE);
    const jump = rmsDb(browser[0]!, end, end + 480) - rmsDb(browser[0]!, end - 480, end);
    console.log(`loop wrap ${loop.end} -> ${loop.start} s: level step ${jump.toFixed(2)} dB in one frame, residual before ${before.toFixed(1)} after ${after.toFixed(1)} dBFS`);
    expect(jump).toBeLessThan(-5);
    expect(Math.max(before, after)).toBeLessThanOrEqual(LIMIT_DB);
  });
});

describe('seek and loop land on the automated value of a worklet kernel at once', () => {
  // A tone through a compressor and a saturation whose threshold and drive are automated: one
  // side of the lanes' step at 1 s drives the tone hard, uncompressed (threshold 0 dB, drive
  // 12 dB), the other compresses it, undriven (-30 dB, 0 dB): some 20 dB quieter. The fader
  // keeps the sum under the master's ceiling.
  const HOT = { threshold: 0, drive: 12 };
  const TAMED = { threshold: -30, drive: 0 };
  const strip = (stem: string, frames: number, over: Partial<TrackState>): TrackState =>
    testMix.track('t', {
      stem: testMix.stem(stem, 1, frames),
      gain: -12,
      comp: { ...testMix.track('x').comp, on: true, ratio: 8, knee: 6, attack: 0.001, release: 0.01 },
      sat: { ...defaultSaturation(), on: true, mix: 1 },
      ...over,
    });
  const stepped = (from: typeof HOT, to: typeof HOT) =>
    testMix.state([
      strip('tone-m', SECONDS * RATE, {
        automation: { 'comp.threshold': lane([0, from.threshold, 'step'], [1, to.threshold, 'step']), 'sat.drive': lane([0, from.drive, 'step'], [1, to.drive, 'step']) },
      }),
    ]);
  /**
   * What a render started at `at` seconds plays: the bake of the same strip, its params
   * static at `values`, on the tone cut to start there.
   */
  async function startedAt(at: number, values: typeof HOT): Promise<Float32Array[]> {
    const key = `tone-m@${at}`;
    const cut = stems.get('tone-m')![0]!.slice(Math.round(at * RATE));
    if (!stems.has(key)) {
      stems.set(key, [cut]);
      h.putStem(key, [cut]);
    }
    const base = strip(key, cut.length, {});
    const plan = buildMixPlan(testMix.state([{ ...base, comp: { ...base.comp, threshold: values.threshold }, sat: { ...base.sat, drive: values.drive } }]));
    return bakeInNode(plan, stems, plan.frames);
  }
  /** Level (dB) over the first 10 ms after `from` and the residual from `settle` frames after it on. */
  function compare(got: Float32Array[], ref: Float32Array[], from: number, refFrom: number, settle: number, length: number) {
    const gotDb = rmsDb(got[0]!, from, from + 480);
    const refDb = rmsDb(ref[0]!, refFrom, refFrom + 480);
    const r = residual(got, ref, from + settle, from + length, refFrom - from);
    return { gotDb, refDb, r };
  }

  it('a seek (a start at 1.5 s) plays the kernels at the lanes’ values there from the first frame', async () => {
    const plan = { ...buildMixPlan(stepped(HOT, TAMED)), frames: Math.round(0.4 * RATE) };
    const seek = 1.5;
    const browser = (await h.render({ plan, frames: plan.frames, meters: false, seek })).channels;
    const ref = await startedAt(seek, TAMED);
    const lat = planLatencyFrames(plan);
    // Nothing played before: every kernel is as fresh as in the render started there.
    const { gotDb, refDb, r } = compare(browser, ref, lat, lat, 0, Math.round(0.3 * RATE));
    const open = rmsDb((await startedAt(seek, HOT))[0]!, lat, lat + 480);
    console.log(`kernel lanes, seek to ${seek} s: first 10 ms at ${gotDb.toFixed(2)} dBFS, a render started there ${refDb.toFixed(2)} dBFS (the lanes' other side ${open.toFixed(2)}), residual ${r.toFixed(1)} dBFS`);
    expect(Math.abs(refDb - open)).toBeGreaterThan(3);
    expect(Math.abs(gotDb - refDb)).toBeLessThan(0.1);
    expect(r).toBeLessThanOrEqual(LIMIT_DB);
  });

  it('a loop wrap plays the kernels at the lanes’ values at the loop start from the first frame', async () => {
    // Tamed before 1 s, hot after: the loop 0.5 -> 1.5 s wraps from the hot part into the tamed one.
    const plan = { ...buildMixPlan(stepped(TAMED, HOT)), frames: Math.round(1.8 * RATE) };
    const loop = { start: 0.5, end: 1.5 };
    const browser = (await h.render({ plan, frames: plan.frames, meters: false, loop })).channels;
    const ref = await startedAt(loop.start, TAMED);
    const lat = planLatencyFrames(plan);
    const wrap = loop.end * RATE + lat;
    // The saturation's oversampling filters still hold the tone from before the wrap for a few
    // frames (the render started there has silence; -79 dBFS over them): the residual is taken
    // from 2 quanta on.
    const { gotDb, refDb, r } = compare(browser, ref, wrap, lat, 256, Math.round(0.25 * RATE));
    const before = rmsDb(browser[0]!, wrap - 480, wrap);
    console.log(`kernel lanes, loop wrap ${loop.end} -> ${loop.start} s: first 10 ms at ${gotDb.toFixed(2)} dBFS, a render started there ${refDb.toFixed(2)} dBFS (before the wrap ${before.toFixed(2)}), residual from 256 frames ${r.toFixed(1)} dBFS`);
    expect(Math.abs(refDb - before)).toBeGreaterThan(3);
    expect(Math.abs(gotDb - refDb)).toBeLessThan(0.1);
    expect(r).toBeLessThanOrEqual(LIMIT_DB);
  });
});
