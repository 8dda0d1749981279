/**
 * The client engine in real Chromium (OfflineAudioContext), measured: levels, pan,
 * EQ response, sidechain ducking, the solo/mute matrix, click-free parameter ramps,
 * transport seek/loop, meters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusState, MixState, TrackState } from '@mixroom/shared/model';
import { buildMixPlan, planLatencyFrames } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { startEngineHarness } from './browser/startEngineHarness.ts';
import type { EngineHarness } from './browser/startEngineHarness.ts';
import { bassStem, kickStem, noiseStem, rmsDb, sineStem, toneDb } from './browser/testStems.ts';

const RATE = 48000;
const FRAMES = RATE; // 1 s renders
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
  h.putStem('sine1k', [sineStem(FRAMES, 1000, 0.5, RATE), sineStem(FRAMES, 1000, 0.5, RATE)]);
  h.putStem('sweep-noise', [noiseStem(FRAMES, 0.3, 5)]);
  h.putStem('kick', [kickStem(FRAMES, RATE, 0.25)]);
  h.putStem('bass', [bassStem(FRAMES, RATE)]);
  h.putStem('noise-s', [noiseStem(FRAMES, 0.5, 21), noiseStem(FRAMES, 0.5, 22)]);
  h.putStem('low', [sineStem(FRAMES, 100, 0.8, RATE)]);
  for (const [key, f] of [['t200', 200], ['t300', 300], ['t500', 500], ['t700', 700]] as const) h.putStem(key, [sineStem(FRAMES, f, 0.25, RATE)]);
});

afterAll(async () => {
  await h?.close();
});

async function render(state: MixState, extra: Partial<Parameters<EngineHarness['render']>[0]> = {}) {
  const plan = buildMixPlan(state);
  return h.render({ plan, frames: plan.frames, ...extra });
}

const sineTrack = (over: Partial<TrackState> = {}) => testMix.track('t', { stem: testMix.stem('sine1k', 2, FRAMES), ...over });

describe('levels, pan and EQ', () => {
  it('a -6 dB fader gives -6.0 dB', async () => {
    const ref = await render(testMix.state([sineTrack()]));
    const cut = await render(testMix.state([sineTrack({ gain: -6 })]));
    const delta = rmsDb(cut.channels[0]!, 4800) - rmsDb(ref.channels[0]!, 4800);
    console.log(`fader -6 dB measured ${delta.toFixed(3)} dB`);
    expect(delta).toBeCloseTo(-6, 2);
  });

  it('hard left pan leaves the right channel silent (< -90 dB)', async () => {
    for (const [key, channels] of [['sweep-noise', 1], ['sine1k', 2]] as const) {
      const r = await render(testMix.state([testMix.track('t', { stem: testMix.stem(key, channels, FRAMES), pan: -1 })]));
      const right = rmsDb(r.channels[1]!);
      const left = rmsDb(r.channels[0]!);
      console.log(`pan -1 (${channels} ch): left ${left.toFixed(1)} dB, right ${right} dB`);
      expect(left).toBeGreaterThan(-20);
      expect(right).toBeLessThan(-90);
    }
  });

  it('an EQ band boosts +6 dB at its frequency and leaves a decade away nearly flat', async () => {
    const eq = (on: boolean): TrackState['eq'] => {
      const b = testMix.track('x').eq;
      return { ...b, bands: [b.bands[0], { on, type: 'peaking', freq: 1000, gain: 6, q: 1 }, b.bands[2], b.bands[3]] };
    };
    h.putStem('two-tones', [Float32Array.from(sineStem(FRAMES, 1000, 0.2, RATE), (v, i) => v + 0.2 * Math.sin((2 * Math.PI * 100 * i) / RATE))]);
    const stem = testMix.stem('two-tones', 1, FRAMES);
    const flat = await render(testMix.state([testMix.track('t', { stem, eq: eq(false) })]));
    const boosted = await render(testMix.state([testMix.track('t', { stem, eq: eq(true) })]));
    const at1k = toneDb(boosted.channels[0]!, 1000, RATE, 9600, 38400) - toneDb(flat.channels[0]!, 1000, RATE, 9600, 38400);
    const at100 = toneDb(boosted.channels[0]!, 100, RATE, 9600, 38400) - toneDb(flat.channels[0]!, 100, RATE, 9600, 38400);
    console.log(`EQ peaking +6 dB @1 kHz: measured ${at1k.toFixed(2)} dB at 1 kHz, ${at100.toFixed(2)} dB at 100 Hz`);
    expect(at1k).toBeCloseTo(6, 1);
    expect(Math.abs(at100)).toBeLessThan(0.3);
  });
});

describe('dynamics', () => {
  it('the kick sidechain ducks the bass when the kick hits', async () => {
    const kick = testMix.track('kick', { stem: testMix.stem('kick', 1, FRAMES), mute: true, order: 0 });
    const comp = { ...testMix.track('x').comp, on: true, threshold: -30, ratio: 10, attack: 0.001, release: 0.08 };
    const bass = (sidechain: string | null) => testMix.track('bass', { stem: testMix.stem('bass', 1, FRAMES), comp: { ...comp, sidechain }, order: 1 });
    // Hits every 250 ms: compare the 30 ms after each hit with the 30 ms before the next.
    const ducking = (x: Float32Array) => {
      let sum = 0;
      for (let hit = 1; hit < 4; hit++) {
        const at = hit * 12000;
        sum += rmsDb(x, at - 1920, at - 480) - rmsDb(x, at + 240, at + 1680);
      }
      return sum / 3;
    };
    const keyed = await render(testMix.state([kick, bass('kick')]));
    const plain = await render(testMix.state([kick, { ...bass(null), comp: { ...comp, on: false, sidechain: null } }]));
    const duck = ducking(keyed.channels[0]!);
    const none = ducking(plain.channels[0]!);
    console.log(`sidechain: bass ducks ${duck.toFixed(1)} dB when the kick hits (${none.toFixed(1)} dB without the key)`);
    expect(duck).toBeGreaterThan(10);
    expect(Math.abs(none)).toBeLessThan(1.5);
  });

  it('meters report strip peaks and the compressor gain reduction', async () => {
    const r = await render(testMix.state([sineTrack({ gain: -6, comp: { ...testMix.track('x').comp, on: true, threshold: -30, ratio: 4 } })]));
    const track = r.meters.filter((m) => m.strip === 'track:t');
    const master = r.meters.filter((m) => m.strip === 'master:');
    expect(track.length).toBeGreaterThan(10);
    expect(master.length).toBeGreaterThan(10);
    const last = track.at(-1)!;
    const gr = Math.max(...track.map((m) => m.gainReduction));
    console.log(`meters: ${track.length} reports, track peak ${last.peak.map((p) => p.toFixed(1)).join('/')} dBFS, max GR ${gr.toFixed(1)} dB`);
    // -6 dB (sine 0.5) compressed 4:1 above -30 dB: about 12.8 dB of reduction, then -6 dB fader.
    const lufs = master.at(-1)!.momentary!;
    console.log(`master momentary loudness of the compressed sine: ${lufs.toFixed(2)} LUFS`);
    expect(gr).toBeGreaterThan(8);
    // A sine's RMS is its peak - 3.01 dB.
    expect(last.peak[0]! - last.rms[0]!).toBeCloseTo(3.01, 1);
    expect(last.peak[0]).toBeLessThan(-12);
    expect(last.peak[0]).toBeGreaterThan(-40);
  });
});

describe('gate in the engine', () => {
  it('the gate closes on the kick tails and reports its reduction by role, apart from the compressor', async () => {
    const gate = { ...testMix.track('x').gate, on: true, threshold: -12, hysteresis: 0, range: -40, hold: 0.005, release: 0.01 };
    const r = await render(testMix.state([testMix.track('t', { stem: testMix.stem('kick', 1, FRAMES), gate })]));
    const open = await render(testMix.state([testMix.track('t', { stem: testMix.stem('kick', 1, FRAMES) })]));
    const track = r.meters.filter((m) => m.strip === 'track:t');
    const gateGr = track.map((m) => m.reductions.gate ?? NaN);
    console.log(`gate reductions reported: min ${Math.min(...gateGr).toFixed(1)} dB, max ${Math.max(...gateGr).toFixed(1)} dB; compressor GR max ${Math.max(...track.map((m) => m.gainReduction))}`);
    expect(Math.max(...gateGr)).toBeGreaterThan(30);
    expect(Math.min(...gateGr)).toBeLessThan(1);
    expect(Math.max(...track.map((m) => m.gainReduction))).toBe(0);
    // In the kick's tail (0.2-0.25 s after each hit) the gate has pulled the level down by its range.
    const tail = (x: Float32Array) => rmsDb(x.subarray(0.2 * RATE, 0.25 * RATE));
    const cut = tail(r.channels[0]!) - tail(open.channels[0]!);
    console.log(`gate: kick tail ${cut.toFixed(1)} dB against the ungated render`);
    expect(cut).toBeCloseTo(-40, 0);
  });
});

describe('solo / mute matrix, measured', () => {
  // Four tracks, one tone each, hard left; the aux return (no effect) hard right, so the
  // right channel shows exactly what reaches the aux.
  const tones = { a: ['t200', 200], b: ['t300', 300], c: ['t500', 500], d: ['t700', 700] } as const;
  function state(tr: Partial<Record<keyof typeof tones, Partial<TrackState>>>, aux: Partial<BusState> = {}, grp: Partial<BusState> = {}): MixState {
    const tracks = (Object.keys(tones) as (keyof typeof tones)[]).map((id, i) =>
      testMix.track(id, {
        order: i,
        stem: testMix.stem(tones[id][0], 1, FRAMES),
        pan: -1,
        output: id === 'a' || id === 'b' ? 'grp' : 'master',
        sends: id === 'd' ? [] : [{ bus: 'aux', level: 0, pre: false, on: true }],
        ...tr[id],
      }),
    );
    return testMix.state(tracks, [testMix.bus('grp', 'group', { order: 0, ...grp }), testMix.bus('aux', 'aux', { order: 1, effect: null, pan: 1, ...aux })]);
  }
  async function heard(s: MixState): Promise<string> {
    const r = await render(s);
    const side = (ch: Float32Array) =>
      (Object.keys(tones) as (keyof typeof tones)[]).filter((id) => toneDb(ch, tones[id][1], RATE, 4800, 24000) > -40).join('');
    return `${side(r.channels[0]!)}|${side(r.channels[1]!)}`;
  }

  it('renders exactly the strips the solo rules keep', async () => {
    const matrix: [string, MixState, string][] = [
      ['nothing soloed', state({}), 'abcd|abc'],
      ['mute c', state({ c: { mute: true } }), 'abd|ab'],
      ['solo c (aux solo-safe)', state({ c: { solo: true } }), 'c|c'],
      ['solo c, aux not solo-safe', state({ c: { solo: true } }, { soloSafe: false }), 'c|'],
      ['solo a (in the group)', state({ a: { solo: true } }), 'a|a'],
      ['solo the group', state({}, {}, { solo: true }), 'ab|ab'],
      ['solo + mute c (mute wins)', state({ c: { solo: true, mute: true } }), '|'],
      ['solo the aux return', state({}, { solo: true }), '|abc'],
      ['mute the group', state({}, {}, { mute: true }), 'cd|abc'],
    ];
    for (const [label, s, expected] of matrix) {
      const got = await heard(s);
      console.log(`solo/mute ${label}: heard ${got}`);
      expect(got, label).toBe(expected);
    }
  });
});

describe('bad input', () => {
  it('refuses a plan with a NaN parameter with a typed error and keeps the graph', async () => {
    const plan = buildMixPlan(testMix.state([sineTrack()]));
    const bad = structuredClone(plan);
    const fader = bad.nodes.find((n) => n.id === 'track:t:fader')!;
    if (fader.kind === 'gain') fader.gain = Number.NaN;
    // The harness applies `plan`, then the bad plan: the render must still be the good mix.
    const r = await render(testMix.state([sineTrack()]), { changes: [{ at: 0.5, plan: bad }] });
    const good = await render(testMix.state([sineTrack()]));
    expect(r.applyErrors).toEqual(['PlanError: Plan node track:t:fader: gain is NaN']);
    let maxErr = 0;
    for (let i = 0; i < FRAMES; i++) maxErr = Math.max(maxErr, Math.abs(r.channels[0]![i]! - good.channels[0]![i]!));
    expect(maxErr).toBe(0);
  });
});

describe('master loudness meter', () => {
  it('reads a -6 dBFS stereo 1 kHz sine at about -6 LUFS momentary', async () => {
    const r = await render(testMix.state([sineTrack()]));
    const master = r.meters.filter((m) => m.strip === 'master:' && Number.isFinite(m.momentary));
    const lufs = master.at(-1)!.momentary!;
    console.log(`master momentary loudness: ${lufs.toFixed(2)} LUFS for a 0.5-amplitude stereo 1 kHz sine`);
    // BS.1770: -0.691 + 10·log10(2 · 0.125) + K-weighting at 1 kHz (about +0.7 dB).
    expect(lufs).toBeGreaterThan(-6.6);
    expect(lufs).toBeLessThan(-5.4);
  });
});

describe('parameter changes and transport', () => {
  it('adds and removes tracks during playback without disturbing the others', async () => {
    const a = testMix.track('a', { stem: testMix.stem('t200', 1, FRAMES), order: 0 });
    const b = testMix.track('b', { stem: testMix.stem('t300', 1, FRAMES), order: 1 });
    const c = testMix.track('c', { stem: testMix.stem('t500', 1, FRAMES), order: 2 });
    const r = await render(testMix.state([a, b]), { afterPlay: buildMixPlan(testMix.state([a, c])) });
    const alone = await render(testMix.state([a, c]));
    const from = 4800;
    const l = r.channels[0]!;
    console.log(`live add/remove: 200 Hz ${toneDb(l, 200, RATE, from, 24000).toFixed(1)} dB, 300 Hz ${toneDb(l, 300, RATE, from, 24000).toFixed(1)} dB, 500 Hz ${toneDb(l, 500, RATE, from, 24000).toFixed(1)} dB`);
    expect(toneDb(l, 300, RATE, from, 24000)).toBeLessThan(-90);
    let maxErr = 0;
    for (let i = 0; i < FRAMES; i++) maxErr = Math.max(maxErr, Math.abs(l[i]! - alone.channels[0]![i]!));
    // The added track starts in step with the running one (both from the same frame); only
    // the float summing order at the master may differ from a fresh graph.
    console.log(`live add/remove vs a fresh render of the final mix: residual ${(20 * Math.log10(maxErr)).toFixed(1)} dBFS`);
    expect(maxErr).toBeLessThan(1e-6);
  });

  it('a fader move mid-playback ramps without a click', async () => {
    const low = (gain: number) => testMix.state([testMix.track('t', { stem: testMix.stem('low', 1, FRAMES), gain })]);
    const at = 0.5;
    const ramped = await render(low(0), { changes: [{ at, plan: buildMixPlan(low(-30)) }] });
    const before = await render(low(0));
    const after = await render(low(-30));
    // The abrupt version: before until `at`, after from `at`.
    const cut = Math.round(at * RATE);
    const abrupt = Float32Array.from(before.channels[0]!, (v, i) => (i < cut ? v : after.channels[0]![i]!));
    const maxStep = (x: Float32Array) => {
      let m = 0;
      for (let i = cut - 2400; i < cut + 2400; i++) m = Math.max(m, Math.abs(x[i + 1]! - x[i]!));
      return m;
    };
    const natural = maxStep(before.channels[0]!);
    const smooth = maxStep(ramped.channels[0]!);
    const click = maxStep(abrupt);
    console.log(`fader ramp: max step ${smooth.toFixed(4)} (signal alone ${natural.toFixed(4)}, abrupt change ${click.toFixed(4)})`);
    expect(smooth).toBeLessThanOrEqual(natural * 1.01);
    expect(click).toBeGreaterThan(natural * 10);
    // It did reach the new level.
    expect(rmsDb(ramped.channels[0]!, cut + 2400, cut + 12000) - rmsDb(before.channels[0]!, cut + 2400, cut + 12000)).toBeCloseTo(-30, 1);
  });

  it('a fast fader drag (changes every 4 ms, overlapping ramps) stays continuous', async () => {
    const low = (gain: number) => testMix.state([testMix.track('t', { stem: testMix.stem('low', 1, FRAMES), gain })]);
    const changes = Array.from({ length: 12 }, (_, i) => ({ at: 0.5 + i * 0.004, plan: buildMixPlan(low(-(i + 1) * 2.5)) }));
    const dragged = await render(low(0), { changes });
    const before = await render(low(0));
    const cut = 0.5 * RATE;
    let smooth = 0;
    let natural = 0;
    for (let i = cut - 2400; i < cut + 4800; i++) {
      smooth = Math.max(smooth, Math.abs(dragged.channels[0]![i + 1]! - dragged.channels[0]![i]!));
      natural = Math.max(natural, Math.abs(before.channels[0]![i + 1]! - before.channels[0]![i]!));
    }
    const end = rmsDb(dragged.channels[0]!, cut + 4800, cut + 14400) - rmsDb(before.channels[0]!, cut + 4800, cut + 14400);
    console.log(`fader drag: max step ${smooth.toFixed(4)} (signal alone ${natural.toFixed(4)}), final level ${end.toFixed(2)} dB`);
    expect(smooth).toBeLessThanOrEqual(natural * 1.01);
    expect(end).toBeCloseTo(-30, 1);
  });

  it('seek starts every stem at the same exact sample', async () => {
    const s = testMix.state([testMix.track('t', { stem: testMix.stem('noise-s', 2, FRAMES) })]);
    const r = await render(s, { seek: 0.3 });
    // The output lags the stems by the plan's latency (the master limiter's lookahead, kept when bypassed).
    const lat = planLatencyFrames(buildMixPlan(s));
    const stem = noiseStem(FRAMES, 0.5, 21);
    const from = Math.round(0.3 * RATE);
    let maxErr = 0;
    for (let i = 0; i < FRAMES - from - lat; i++) maxErr = Math.max(maxErr, Math.abs(r.channels[0]![i + lat]! - stem[from + i]!));
    console.log(`seek 0.3 s: output equals the stem from frame ${from} exactly (latency ${lat} frames), max error ${maxErr}`);
    expect(lat).toBeGreaterThan(0);
    expect(maxErr).toBe(0);
  });

  it('loops sample-accurately', async () => {
    const s = testMix.state([testMix.track('t', { stem: testMix.stem('noise-s', 2, FRAMES) })]);
    const loop = { start: 0.1, end: 0.35 };
    const r = await render(s, { seek: 0.2, loop });
    const stem = noiseStem(FRAMES, 0.5, 21);
    const start = Math.round(loop.start * RATE);
    const len = Math.round((loop.end - loop.start) * RATE);
    const seekFrame = Math.round(0.2 * RATE);
    const lat = planLatencyFrames(buildMixPlan(s));
    let maxErr = 0;
    for (let i = 0; i < FRAMES - lat; i++) {
      const song = seekFrame + i < start + len ? seekFrame + i : start + ((seekFrame + i - start) % len);
      maxErr = Math.max(maxErr, Math.abs(r.channels[0]![i + lat]! - stem[song]!));
    }
    console.log(`loop ${loop.start}-${loop.end} s from 0.2 s: ${Math.floor((FRAMES - (start + len - seekFrame)) / len)} wraps, max error ${maxErr}`);
    expect(maxErr).toBe(0);
  });
});
