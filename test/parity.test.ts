/**
 * Browser/server parity: the same MixPlan rendered by the client engine in headless
 * Chromium (OfflineAudioContext, native nodes + shared/dsp worklets) and by the server
 * bake (shared/dsp in Node, no Web Audio) must null to <= -90 dBFS. Per-processor cases
 * first so a failure points at one node kind, then a full plan exercising every
 * processor, then a long multitrack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixState, TrackState } from '@mixroom/shared/model';
import { buildMixPlan } from '@mixroom/shared/plan';
import type { MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeInNode } from './browser/bakeInNode.ts';
import { renderPlanWithKernels } from './browser/renderPlanWithKernels.ts';
import { startEngineHarness } from './browser/startEngineHarness.ts';
import type { EngineHarness } from './browser/startEngineHarness.ts';
import { generatedSong } from './browser/generatedSong.ts';
import { bassStem, burstStem, kickStem, noiseStem, peakDb, placeStem, residualDb, residualWindowsDb, rmsDb, sineStem } from './browser/testStems.ts';
import { DEFAULT_EQ_BANDS, defaultDeesser, defaultDelay, defaultEq, defaultMaster, defaultReverb, defaultSaturation, defaultSend } from '@mixroom/shared/model';

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

interface NullResult {
  residual: number;
  level: number;
  /** Residual peak (dBFS) per window of `windowSeconds`, from the first frame to the last. */
  windows: number[];
  browser: Float32Array[];
  bake: Float32Array[];
}

/**
 * Renders `plan` on both sides and returns the residual peak (dBFS), the signal's peak and
 * the residual per window (printed when `windowSeconds` is given).
 */
async function nullTest(label: string, plan: MixPlan, windowSeconds?: number): Promise<NullResult> {
  const frames = plan.frames;
  const [browser, bake] = await Promise.all([h.render({ plan, frames, meters: false }), bakeInNode(plan, stems, frames)]);
  const residual = Math.max(residualDb(browser.channels[0]!, bake[0]!), residualDb(browser.channels[1]!, bake[1]!));
  const level = Math.max(peakDb(browser.channels[0]!), peakDb(browser.channels[1]!));
  console.log(`parity ${label}: residual ${residual.toFixed(1)} dBFS (signal peak ${level.toFixed(1)} dBFS)`);
  const w = Math.round((windowSeconds ?? 1) * RATE);
  const left = residualWindowsDb(browser.channels[0]!, bake[0]!, w);
  const right = residualWindowsDb(browser.channels[1]!, bake[1]!, w);
  const windows = left.map((l, i) => Math.max(l, right[i]!));
  if (windowSeconds !== undefined) {
    const s = windowSeconds;
    console.log(`  residual per ${s} s window: ${windows.map((r, i) => `${i * s}-${Math.min((i + 1) * s, frames / RATE).toFixed(s < 1 ? 1 : 0)} s ${r.toFixed(1)}`).join(' | ')}`);
  }
  return { residual, level, windows, browser: browser.channels, bake };
}

function oneTrack(over: Partial<TrackState>, key = 'noise-s', channels = 2): MixState {
  return testMix.state([testMix.track('t', { stem: testMix.stem(key, channels, RATE), ...over })]);
}

const base = testMix.track('x');
const band = (type: 'peaking' | 'lowshelf' | 'highshelf' | 'notch' | 'bandpass', freq: number, gain: number, q: number) => ({
  ...base.eq,
  bands: [{ ...DEFAULT_EQ_BANDS[0], on: true, type, freq, gain, q }, base.eq.bands[1], base.eq.bands[2], base.eq.bands[3]] as TrackState['eq']['bands'],
});

describe('per-processor parity (engine in Chromium vs server bake)', () => {
  const cases: [string, MixState][] = [
    ['fader -6 dB, trim +3 dB, polarity', oneTrack({ gain: -6, trim: 3, polarity: true })],
    ['highpass 120 Hz', oneTrack({ eq: { ...base.eq, hpf: { ...defaultEq().hpf, on: true, freq: 120, q: Math.SQRT1_2 } } })],
    ['lowpass 5 kHz Q 2', oneTrack({ eq: { ...base.eq, lpf: { ...defaultEq().lpf, on: true, freq: 5000, q: 2 } } })],
    ['peaking +6 dB 1 kHz', oneTrack({ eq: band('peaking', 1000, 6, 1.5) })],
    ['lowshelf +4 dB 200 Hz', oneTrack({ eq: band('lowshelf', 200, 4, 1) })],
    ['highshelf -5 dB 6 kHz', oneTrack({ eq: band('highshelf', 6000, -5, 1) })],
    ['notch 3 kHz', oneTrack({ eq: band('notch', 3000, 0, 4) })],
    ['bandpass 800 Hz', oneTrack({ eq: band('bandpass', 800, 0, 2) })],
    ['pan mono -0.6', oneTrack({ pan: -0.6 }, 'noise-m', 1)],
    ['pan stereo 0.4 (balance)', oneTrack({ pan: 0.4 })],
    ['pan stereo -0.7 (balance)', oneTrack({ pan: -0.7 })],
    ['pan stereo 0.4 (Web Audio law)', oneTrack({ pan: 0.4, panLaw: 'webaudio' })],
    ['compressor (self)', oneTrack({ comp: { ...base.comp, on: true, threshold: -24, ratio: 6, attack: 0.002, release: 0.05 } }, 'bass', 1)],
    ['de-esser split 7 kHz', oneTrack({ deess: { ...defaultDeesser(), on: true, mode: 'split', freq: 7000, threshold: -30, range: 10 } })],
    ['de-esser wide 5 kHz (mono)', oneTrack({ deess: { ...defaultDeesser(), on: true, mode: 'wide', freq: 5000, threshold: -36, range: 6 } }, 'noise-m', 1)],
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

  it('gates: self-keyed on a kick, a noise track keyed by the muted kick through its key high-pass, two gates keying each other', async () => {
    const gate = (over: Partial<TrackState['gate']>) => ({ ...base.gate, on: true, ...over });
    const cases: [string, MixState][] = [
      ['gate (self, kick tails)', oneTrack({ gate: gate({ threshold: -18, range: -50, hold: 0.01, release: 0.04, scHpf: 60 }) }, 'kick', 1)],
      [
        'gate keyed by a muted kick (1:4 expander)',
        testMix.state([
          testMix.track('kick', { order: 0, stem: testMix.stem('kick', 1, RATE), mute: true }),
          testMix.track('noise', { order: 1, stem: testMix.stem('noise-s', 2, RATE), gate: gate({ threshold: -6, hysteresis: 3, ratio: 4, range: -60, hold: 0.005, release: 0.03, scHpf: 30, sidechain: 'kick' }) }),
        ]),
      ],
      [
        'two gates keying each other',
        testMix.state([
          testMix.track('a', { order: 0, stem: testMix.stem('kick', 1, RATE), gate: gate({ threshold: -12, sidechain: 'b' }) }),
          testMix.track('b', { order: 1, stem: testMix.stem('bass', 1, RATE), gate: gate({ threshold: -20, range: -30, sidechain: 'a', scHpf: 200 }) }),
        ]),
      ],
    ];
    for (const [label, state] of cases) {
      const plan = buildMixPlan(state);
      const ungated = buildMixPlan({ ...state, tracks: state.tracks.map((t) => ({ ...t, gate: { ...t.gate, on: false } })) });
      const { residual, level, bake } = await nullTest(label, plan);
      const open = await bakeInNode(ungated, stems, plan.frames);
      // The gate changed the mix (it closed somewhere), and both engines agree on how.
      const effect = Math.max(residualDb(bake[0]!, open[0]!), residualDb(bake[1]!, open[1]!));
      console.log(`  ${label}: gated vs ungated bake differ by up to ${effect.toFixed(1)} dBFS`);
      expect(effect).toBeGreaterThan(-40);
      expect(level).toBeGreaterThan(-40);
      expect(residual).toBeLessThanOrEqual(LIMIT_DB);
    }
  });

  it('master glue compressor and true-peak limiter', async () => {
    const s = oneTrack({}, 'hot-s');
    s.master = { ...defaultMaster(), gain: 3, glue: { ...defaultMaster().glue, on: true, threshold: -12, ratio: 3, attack: 0.005, release: 0.1, knee: 6, makeup: 2 }, limiter: { ...defaultMaster().limiter, on: true, ceiling: -1, release: 0.05 }, automation: {} };
    const { residual, level } = await nullTest('master glue + limiter', buildMixPlan(s));
    expect(level).toBeLessThanOrEqual(-0.99);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });

  for (const kind of ['saturation', 'reverb', 'delay'] as const) {
    it(`${kind} worklet`, async () => {
      // Effects: a pre-fader send with the dry fader all the way down, so the return alone is heard.
      const s =
        kind === 'saturation'
          ? oneTrack({ sat: { ...defaultSaturation(), on: true, drive: 12, mix: 0.7 } })
          : testMix.state([testMix.track('t', { stem: testMix.stem('kick', 1, RATE), gain: -120, sends: [{ ...defaultSend('fx'), level: 0, pre: true, on: true }] })], [
              testMix.bus('fx', 'aux', { effect: kind === 'reverb' ? { ...defaultReverb(), decay: 1.2, preDelay: 0.01, damping: 7000 } : { ...defaultDelay(), time: 0.125, feedback: 0.4, damping: 6000 } }),
            ]);
      const { residual, level } = await nullTest(kind, buildMixPlan(s));
      expect(level).toBeGreaterThan(-40);
      expect(residual).toBeLessThanOrEqual(LIMIT_DB);
    });
  }
});

describe('inputs that end, start late or are missing are silence in both engines', () => {
  const kickKeysBass = (kickStemKey: string | null, kickFrames: number): MixState => {
    const kick = testMix.track('kick', { stem: kickStemKey === null ? null : testMix.stem(kickStemKey, 1, kickFrames), mute: true });
    const bass = testMix.track('bass', {
      stem: testMix.stem('bass-3s', 1, 3 * RATE),
      comp: { ...base.comp, on: true, threshold: -30, ratio: 10, attack: 0.001, release: 0.08, sidechain: 'kick' },
    });
    return testMix.state([kick, bass]);
  };

  it('a sidechain key that ends before the keyed track (1 s kick keys 3 s of bass)', async () => {
    putStem('bass-3s', [bassStem(3 * RATE, RATE)]);
    putStem('kick-1s', [kickStem(RATE, RATE, 0.25)]);
    const { residual, windows, browser, bake } = await nullTest('key ends at 1 s, bass runs to 3 s', buildMixPlan(kickKeysBass('kick-1s', RATE)), 0.5);
    const after = (x: Float32Array[]) => rmsDb(x[0]!, Math.round(1.2 * RATE));
    console.log(`  after 1.2 s: browser RMS ${after(browser).toFixed(1)} dBFS, bake ${after(bake).toFixed(1)} dBFS`);
    // Once the key is over the bass is no longer ducked: it must come back up in both.
    expect(after(bake)).toBeGreaterThan(-20);
    expect(windows.every((r) => r <= LIMIT_DB)).toBe(true);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });

  it('a sidechain key that starts late (1.5 s of leading silence, then 1 s of kick)', async () => {
    putStem('bass-3s', [bassStem(3 * RATE, RATE)]);
    putStem('kick-late', [placeStem(kickStem(RATE, RATE, 0.25), 1.5 * RATE, RATE)]);
    const { residual, windows } = await nullTest('key plays 1.5-2.5 s, bass runs to 3 s', buildMixPlan(kickKeysBass('kick-late', 2.5 * RATE)), 0.5);
    expect(windows.every((r) => r <= LIMIT_DB)).toBe(true);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });

  it('a sidechain key whose track has no stem yet', async () => {
    putStem('bass-3s', [bassStem(3 * RATE, RATE)]);
    const { residual, level } = await nullTest('key track without a stem', buildMixPlan(kickKeysBass(null, 0)), 0.5);
    expect(level).toBeGreaterThan(-16); // not ducked (-23 dBFS when the bass keys itself): a missing key is silence
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });

  it('stems of different lengths through a group, pre and post sends and both aux returns', async () => {
    // Drums (two short stems) feed a group whose inputs have all ended after 1.2 s; they and
    // the group send to the returns; a 3 s pad keeps the song going.
    putStem('d-kick', [kickStem(0.8 * RATE, RATE, 0.25)]);
    putStem('d-snare', [burstStem(1.2 * RATE, RATE, 61, 0.3, 0.1), burstStem(1.2 * RATE, RATE, 62, 0.3, 0.1)]);
    putStem('d-pad', [sineStem(3 * RATE, 330, 0.3, RATE), noiseStem(3 * RATE, 0.1, 63)]);
    const t = testMix.track('x');
    const s = testMix.state(
      [
        testMix.track('kick', { order: 0, stem: testMix.stem('d-kick', 1, 0.8 * RATE), eq: { ...t.eq, hpf: { ...defaultEq().hpf, on: true, freq: 40, q: 1 } }, output: 'drums', sends: [{ ...defaultSend('verb'), level: -10, pre: false, on: true }] }),
        testMix.track('snare', { order: 1, stem: testMix.stem('d-snare', 2, 1.2 * RATE), comp: { ...t.comp, on: true, threshold: -24 }, output: 'drums', sends: [{ ...defaultSend('dly'), level: -6, pre: true, on: true }] }),
        testMix.track('pad', { order: 2, stem: testMix.stem('d-pad', 2, 3 * RATE), gain: -6, eq: { ...t.eq, lpf: { ...defaultEq().lpf, on: true, freq: 3000, q: 1 } } }),
      ],
      [
        testMix.bus('drums', 'group', { order: 0, sends: [{ ...defaultSend('verb'), level: -12, pre: true, on: true }] }),
        testMix.bus('verb', 'aux', { order: 1, effect: { ...defaultReverb(), decay: 2.5, preDelay: 0.01, damping: 7000 } }),
        testMix.bus('dly', 'aux', { order: 2, effect: { ...defaultDelay(), time: 0.25, feedback: 0.6, damping: 6000 } }),
      ],
    );
    const { residual, windows } = await nullTest('stems of 0.8, 1.2 and 3 s, group + sends + returns', buildMixPlan(s), 0.5);
    expect(windows.every((r) => r <= LIMIT_DB)).toBe(true);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });

  it('group inputs and sends that start late or have no stem, and a return fed only by a missing track', async () => {
    // The group hears nothing until 1.2 s (one input has no stem, the other starts late);
    // the late tracks send pre and post into both returns; the delay return's only feed is
    // the track without a stem. A 3 s pad, straight to the master, keeps the song going.
    putStem('g-late', [placeStem(kickStem(RATE, RATE, 0.25), 1.2 * RATE, RATE), placeStem(burstStem(RATE, RATE, 72, 0.25, 0.1), 1.2 * RATE, RATE)]);
    putStem('g-later', [placeStem(kickStem(RATE, RATE, 0.25), 2 * RATE, RATE)]);
    putStem('g-pad', [sineStem(3 * RATE, 220, 0.2, RATE), noiseStem(3 * RATE, 0.05, 73)]);
    const t = testMix.track('x');
    const s = testMix.state(
      [
        testMix.track('ghost', { order: 0, stem: null, output: 'grp', sends: [{ ...defaultSend('verb'), level: -6, pre: true, on: true }, { ...defaultSend('void'), level: 0, pre: false, on: true }] }),
        testMix.track('late', { order: 1, stem: testMix.stem('g-late', 2, 2.2 * RATE), eq: { ...t.eq, hpf: { ...defaultEq().hpf, on: true, freq: 40, q: 1 } }, output: 'grp', sends: [{ ...defaultSend('verb'), level: -8, pre: false, on: true }] }),
        testMix.track('later', { order: 2, stem: testMix.stem('g-later', 1, 3 * RATE), eq: { ...t.eq, lpf: { ...defaultEq().lpf, on: true, freq: 2000, q: 1 } }, pan: 0.3, output: 'grp', sends: [{ ...defaultSend('verb'), level: -4, pre: true, on: true }] }),
        testMix.track('pad', { order: 3, stem: testMix.stem('g-pad', 2, 3 * RATE), gain: -6 }),
      ],
      [
        testMix.bus('grp', 'group', { order: 0, gain: -3, pan: -0.2, sends: [{ ...defaultSend('verb'), level: -10, pre: false, on: true }] }),
        testMix.bus('verb', 'aux', { order: 1, effect: { ...defaultReverb(), decay: 1.5, preDelay: 0.02, damping: 7000 } }),
        testMix.bus('void', 'aux', { order: 2, effect: { ...defaultDelay(), time: 0.2, feedback: 0.5, damping: 6000 } }),
      ],
    );
    const { residual, windows, bake } = await nullTest('late and missing group inputs and sends', buildMixPlan(s), 0.5);
    // The late parts are heard (through the group and the reverb) once they start.
    const peakL = (from: number, to: number) => peakDb(bake[0]!, Math.round(from * RATE), Math.round(to * RATE));
    console.log(`  bake peak 0-1.2 s ${peakL(0, 1.2).toFixed(1)} dBFS, 1.2-2 s ${peakL(1.2, 2).toFixed(1)} dBFS`);
    expect(peakL(1.2, 2)).toBeGreaterThan(peakL(0, 1.2) + 3);
    expect(windows.every((r) => r <= LIMIT_DB)).toBe(true);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });
});

/** A song-like mix exercising every processor kind and routing feature. */
function fullMix(frames: number, keys: { kick: string; bass: string; snare: string; pad: string; vox: string }): MixState {
  const t = testMix.track('x');
  const bands = (...b: TrackState['eq']['bands']) => b;
  const tracks: TrackState[] = [
    testMix.track('kick', {
      order: 0,
      stem: testMix.stem(keys.kick, 1, frames),
      eq: { ...t.eq, hpf: { ...defaultEq().hpf, on: true, freq: 30, q: Math.SQRT1_2 }, bands: bands({ ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking', freq: 60, gain: 3, q: 1.2 }, t.eq.bands[1], t.eq.bands[2], t.eq.bands[3]) },
      comp: { ...t.comp, on: true, threshold: -12, ratio: 3, attack: 0.005, release: 0.1 },
      output: 'drums',
      sends: [{ ...defaultSend('verb'), level: -18, pre: false, on: true }],
    }),
    testMix.track('bass', {
      order: 1,
      stem: testMix.stem(keys.bass, 1, frames),
      eq: { ...t.eq, lpf: { ...defaultEq().lpf, on: true, freq: 4000, q: 1 }, bands: bands({ ...DEFAULT_EQ_BANDS[0], on: true, type: 'lowshelf', freq: 120, gain: 3, q: 1 }, t.eq.bands[1], t.eq.bands[2], t.eq.bands[3]) },
      comp: { ...t.comp, on: true, threshold: -30, ratio: 8, attack: 0.001, release: 0.08, sidechain: 'kick' },
      sat: { ...defaultSaturation(), on: true, drive: 9, mix: 0.5 },
      pan: -0.1,
      gain: -2,
    }),
    testMix.track('snare', {
      order: 2,
      stem: testMix.stem(keys.snare, 2, frames),
      eq: { ...t.eq, bands: bands(t.eq.bands[0], { ...DEFAULT_EQ_BANDS[0], on: true, type: 'bandpass', freq: 900, gain: 0, q: 0.7 }, { ...DEFAULT_EQ_BANDS[0], on: true, type: 'notch', freq: 3200, gain: 0, q: 5 }, t.eq.bands[3]) },
      sat: { ...defaultSaturation(), on: true, drive: 12, mix: 1 },
      pan: -0.3,
      output: 'drums',
      sends: [{ ...defaultSend('dly'), level: -10, pre: false, on: true }],
    }),
    testMix.track('pad', {
      order: 3,
      stem: testMix.stem(keys.pad, 2, frames),
      trim: -3,
      polarity: true,
      eq: { ...t.eq, bands: bands(t.eq.bands[0], t.eq.bands[1], t.eq.bands[2], { ...DEFAULT_EQ_BANDS[0], on: true, type: 'highshelf', freq: 6000, gain: -4, q: 1 }) },
      pan: 0.5,
      gain: -8,
      sends: [{ ...defaultSend('verb'), level: -6, pre: true, on: true }],
    }),
    testMix.track('vox', {
      order: 4,
      stem: testMix.stem(keys.vox, 1, frames),
      eq: { ...t.eq, hpf: { ...defaultEq().hpf, on: true, freq: 100, q: Math.SQRT1_2 }, bands: bands(t.eq.bands[0], t.eq.bands[1], { ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking', freq: 2500, gain: 4, q: 2 }, t.eq.bands[3]) },
      comp: { ...t.comp, on: true, threshold: -20, ratio: 4, knee: 6, makeup: 3 },
      deess: { ...defaultDeesser(), on: true, mode: 'split', freq: 6500, threshold: -40, range: 8 },
      pan: 0.1,
      sends: [{ ...defaultSend('dly'), level: -12, pre: false, on: true }, { ...defaultSend('verb'), level: -9, pre: false, on: true }],
    }),
  ];
  const buses = [
    testMix.bus('drums', 'group', { order: 0, gain: -2, pan: 0.1, sends: [{ ...defaultSend('verb'), level: -20, pre: true, on: true }] }),
    testMix.bus('verb', 'aux', { order: 1, gain: -4, effect: { ...defaultReverb(), decay: 1.8, preDelay: 0.02, damping: 6000 } }),
    testMix.bus('dly', 'aux', { order: 2, gain: -6, pan: -0.2, effect: { ...defaultDelay(), time: 0.1875, feedback: 0.35, damping: 5000 } }),
  ];
  const s = testMix.state(tracks, buses);
  s.master = { ...defaultMaster(), gain: 2, glue: { ...defaultMaster().glue, on: true, threshold: -16, ratio: 2, attack: 0.01, release: 0.2, knee: 6, makeup: 1 }, limiter: { ...defaultMaster().limiter, on: true, ceiling: -1, release: 0.05 }, automation: {} };
  return s;
}

/** The full plan's stems (3 s), in the shared map and the main harness. */
function putFullStems(frames: number): void {
  putStem('f-kick', [kickStem(frames, RATE, 0.5)]);
  putStem('f-bass', [bassStem(frames, RATE)]);
  putStem('f-snare', [burstStem(frames, RATE, 31), burstStem(frames, RATE, 32)]);
  putStem('f-pad', [sineStem(frames, 330, 0.3, RATE), noiseStem(frames, 0.2, 33)]);
  putStem('f-vox', [Float32Array.from(sineStem(frames, 440, 0.4, RATE), (v, i) => v * (0.5 + 0.5 * Math.sin((2 * Math.PI * 3 * i) / RATE)))]);
}

describe('full plan parity', () => {
  it('nulls a mix exercising every processor, sends pre and post, a group and the master chain', async () => {
    const frames = 3 * RATE;
    putFullStems(frames);
    const plan = buildMixPlan(fullMix(frames, { kick: 'f-kick', bass: 'f-bass', snare: 'f-snare', pad: 'f-pad', vox: 'f-vox' }));
    const kinds = new Set(plan.nodes.filter((n) => !('bypass' in n) || !n.bypass).map((n) => (n.kind === 'biquad' ? `biquad:${n.type}` : n.kind)));
    for (const k of ['compressor', 'saturation', 'reverb', 'delay', 'limiter', 'panner', 'biquad:highpass', 'biquad:lowpass', 'biquad:peaking', 'biquad:lowshelf', 'biquad:highshelf', 'biquad:notch', 'biquad:bandpass']) {
      expect(kinds, k).toContain(k);
    }
    expect(plan.edges.some((e) => e.input === 1)).toBe(true);
    const { residual, level } = await nullTest('full plan (5 tracks, group, reverb + delay aux, glue + limiter, 3 s)', plan);
    expect(level).toBeGreaterThan(-12);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });

  it('nulls with the worklet bundle exactly as the production app build emits it', async () => {
    // Same full plan, but the page loads the worklet from Vite's `?worker&url` output with
    // client/vite.config.ts, i.e. the file the deployed app serves.
    const app = await startEngineHarness({ appWorklet: true });
    try {
      const frames = 3 * RATE;
      putFullStems(frames);
      for (const key of ['f-kick', 'f-bass', 'f-snare', 'f-pad', 'f-vox']) app.putStem(key, stems.get(key)!);
      const plan = buildMixPlan(fullMix(frames, { kick: 'f-kick', bass: 'f-bass', snare: 'f-snare', pad: 'f-pad', vox: 'f-vox' }));
      const [browser, bake] = await Promise.all([app.render({ plan, frames }), bakeInNode(plan, stems, frames)]);
      const residual = Math.max(residualDb(browser.channels[0]!, bake[0]!), residualDb(browser.channels[1]!, bake[1]!));
      console.log(`parity full plan with the app-built worklet: residual ${residual.toFixed(1)} dBFS`);
      expect(residual).toBeLessThanOrEqual(LIMIT_DB);
    } finally {
      await app.close();
    }
  });

  it('nulls a long multitrack: 8 tracks x 20 s', async () => {
    const frames = 20 * RATE;
    const keys = ['kick', 'bass', 'snare', 'pad', 'vox'] as const;
    const gen = (k: (typeof keys)[number], seed: number): Float32Array[] =>
      k === 'kick' ? [kickStem(frames, RATE, 0.5)]
      : k === 'bass' ? [bassStem(frames, RATE)]
      : k === 'snare' ? [burstStem(frames, RATE, seed), burstStem(frames, RATE, seed + 1)]
      : k === 'pad' ? [sineStem(frames, 220 + seed, 0.2, RATE), noiseStem(frames, 0.1, seed)]
      : [sineStem(frames, 300 + seed * 7, 0.3, RATE)];
    for (const k of keys) putStem(`l-${k}`, gen(k, 40));
    const s = fullMix(frames, { kick: 'l-kick', bass: 'l-bass', snare: 'l-snare', pad: 'l-pad', vox: 'l-vox' });
    // Three more tracks: copies of snare, pad and vox on other stems and settings.
    for (const [i, from] of (['snare', 'pad', 'vox'] as const).entries()) {
      putStem(`l-extra${i}`, gen(from, 50 + i * 10));
      const src = s.tracks.find((t) => t.id === from)!;
      s.tracks.push({ ...structuredClone(src), id: `extra${i}`, name: `extra${i}`, order: 10 + i, pan: -0.7 + i * 0.6, gain: -6, stem: { ...src.stem!, key: `l-extra${i}` } });
    }
    const plan = buildMixPlan(s);
    expect(plan.nodes.filter((n) => n.kind === 'source')).toHaveLength(8);
    const { residual } = await nullTest('long multitrack (8 tracks x 20 s)', plan);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  });
});

describe('a whole generated song', () => {
  it('nulls from the first frame to the last: 190 s, 8 tracks of different lengths and starts, every processor', async () => {
    const song = generatedSong(RATE);
    for (const [key, channels] of song.stems) putStem(key, channels);
    const plan = buildMixPlan(song.state);
    expect(plan.frames / RATE).toBeGreaterThanOrEqual(180);
    const kinds = new Set(plan.nodes.filter((n) => !('bypass' in n) || !n.bypass).map((n) => (n.kind === 'biquad' ? `biquad:${n.type}` : n.kind)));
    for (const k of ['compressor', 'saturation', 'reverb', 'delay', 'limiter', 'panner', 'biquad:highpass', 'biquad:lowpass', 'biquad:peaking', 'biquad:lowshelf', 'biquad:highshelf', 'biquad:notch', 'biquad:bandpass']) {
      expect(kinds, k).toContain(k);
    }
    expect(plan.edges.filter((e) => e.input === 1)).toHaveLength(2);
    const { windows, level } = await nullTest(`generated song (${(plan.frames / RATE).toFixed(0)} s)`, plan, 10);
    for (const key of song.stems.keys()) stems.delete(key);
    expect(level).toBeGreaterThan(-6);
    expect(Math.max(...windows)).toBeLessThanOrEqual(LIMIT_DB);
  }, 600_000);
});

describe('reference runner agrees with the bake', () => {
  it('nulls the minimal shared/dsp runner against bakeMix on an EQ + pan + compressor strip', async () => {
    const plan = buildMixPlan(oneTrack({ pan: 0.3, eq: band('peaking', 500, 5, 2), comp: { ...base.comp, on: true, threshold: -20 } }));
    const a = renderPlanWithKernels(plan, stems, plan.frames, 1000);
    const b = await bakeInNode(plan, stems, plan.frames);
    expect(Math.max(residualDb(a[0]!, b[0]!), residualDb(a[1]!, b[1]!))).toBeLessThanOrEqual(-120);
  });
});
