import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeMix } from '../server/src/render/bakeMix.ts';
import { BakeError } from '../server/src/render/BakeError.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { copyFile, readdir, readlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MixState } from '@mixroom/shared/model';
import { collect, floatWav, noise, nullDb, rmsDb, sine, tempDir, writeStem } from './renderFixtures.ts';
import { DEFAULT_EQ_BANDS, defaultCompressor, defaultDelay, defaultEq, defaultMaster, defaultReverb, defaultSaturation, defaultSend } from '@mixroom/shared/model';

const RATE = 48000;
const FRAMES = RATE * 2 + 123; // not a multiple of any block size

let dir: string;
let dispose: () => Promise<void>;
const left = noise(FRAMES, 0.5, 1);
const right = noise(FRAMES, 0.5, 2);
const tone = sine(FRAMES, 997, 0.25);

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  await writeStem(dir, 'stereo.wav', [left, right]);
  await writeStem(dir, 'tone.wav', [tone]);
  await writeStem(dir, 'kick.wav', [noise(FRAMES, 0.3, 7), noise(FRAMES, 0.3, 8)]);
  await writeStem(dir, 'bass.wav', [sine(FRAMES, 55, 0.5)]);
  // Header promises FRAMES frames, the file stops half way.
  const full = floatWav([left, right]);
  await writeFile(path.join(dir, 'cut.wav'), full.subarray(0, 44 + Math.floor(FRAMES / 2) * 8));
  await writeFile(path.join(dir, 'text.wav'), new TextEncoder().encode('this is not audio at all, just text'));
});
afterAll(() => dispose());

const stereoTrack = (id: string, over = {}) => testMix.track(id, { stem: { ...testMix.stem('stereo.wav', 2, FRAMES), fileName: 'stereo.wav' }, ...over });
const toneTrack = (id: string, over = {}) => testMix.track(id, { stem: { ...testMix.stem('tone.wav', 1, FRAMES), fileName: 'tone.wav' }, ...over });

describe('bakeMix', () => {
  it('reproduces a stem through a unity plan (null below -120 dB before dither)', async () => {
    const plan = buildMixPlan(testMix.state([stereoTrack('a')]));
    const out = await collect(await bakeMix(plan, { stems: createFileStemSource(dir), workers: 1 }));
    expect(out[0]!.length).toBe(FRAMES);
    const residual = Math.max(nullDb(out[0]!, left), nullDb(out[1]!, right));
    console.log(`unity null residual: ${residual} dBFS`);
    expect(residual).toBeLessThanOrEqual(-120);
  });

  const bake = async (state: MixState, opts: { workers?: number; blockFrames?: number } = {}) =>
    collect(await bakeMix(buildMixPlan(state), { stems: createFileStemSource(dir), workers: 2, ...opts }));

  it('applies a -6 dB fader as -6.0 dB', async () => {
    const unity = await bake(testMix.state([toneTrack('t')]));
    const down = await bake(testMix.state([toneTrack('t', { gain: -6 })]));
    const delta = rmsDb(down[0]!) - rmsDb(unity[0]!);
    console.log(`fader -6 dB measured ${delta.toFixed(4)} dB`);
    expect(delta).toBeCloseTo(-6, 3);
    // Mono source, centre pan: equal-power law puts it at -3 dB on each side.
    expect(rmsDb(unity[0]!) - rmsDb(tone)).toBeCloseTo(-3.0103, 3);
  });

  it('sums two stems', async () => {
    const a = await bake(testMix.state([stereoTrack('a')]));
    const b = await bake(testMix.state([toneTrack('b', { pan: 0.3 })]));
    const ab = await bake(testMix.state([stereoTrack('a'), toneTrack('b', { pan: 0.3 })]));
    const sum = [a[0]!.map((x, i) => x + b[0]![i]!), a[1]!.map((x, i) => x + b[1]![i]!)];
    const residual = Math.max(nullDb(ab[0]!, sum[0]!), nullDb(ab[1]!, sum[1]!));
    console.log(`two-stem sum residual ${residual} dBFS`);
    expect(residual).toBeLessThanOrEqual(-120);
    expect(rmsDb(ab[0]!)).toBeGreaterThan(rmsDb(a[0]!));
  });

  const busyMix = (): MixState => {
    const eq = (freq: number) => ({
      hpf: { ...defaultEq().hpf, on: true, freq, q: Math.SQRT1_2 },
      lpf: { ...defaultEq().lpf, on: false, freq: 18000, q: Math.SQRT1_2 },
      bands: [
        { ...DEFAULT_EQ_BANDS[0], on: true, type: 'lowshelf' as const, freq: 120, gain: 3, q: 0.7 },
        { ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking' as const, freq: 450, gain: -4, q: 1.2 },
        { ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking' as const, freq: 2500, gain: 2, q: 0.9 },
        { ...DEFAULT_EQ_BANDS[0], on: true, type: 'highshelf' as const, freq: 9000, gain: 1.5, q: 0.7 },
      ] as MixState['tracks'][number]['eq']['bands'],
    });
    const stem = (key: string, ch: number) => ({ ...testMix.stem(key, ch, FRAMES), fileName: key });
    return testMix.state(
      [
        testMix.track('kick', { stem: stem('kick.wav', 2), eq: eq(30), gain: -2, pan: -0.2, output: 'drums', sends: [{ ...defaultSend('verb'), level: -12, pre: false, on: true }] }),
        testMix.track('bass', { stem: stem('bass.wav', 1), eq: eq(25), gain: -4, pan: 0.1 }),
        testMix.track('gtr', { stem: stem('stereo.wav', 2), eq: eq(80), pan: 0.5, polarity: true, sends: [{ ...defaultSend('verb'), level: -6, pre: true, on: true }] }),
        testMix.track('vox', { stem: stem('tone.wav', 1), eq: eq(100), gain: 1.5, trim: -3, pan: -0.4, output: 'drums' }),
        testMix.track('empty', { stem: null }),
      ],
      [testMix.bus('drums', 'group', { gain: -1, pan: 0.05 }), testMix.bus('verb', 'aux', { effect: null, gain: -3 })],
    );
  };

  it('gives the same samples with 1 or 2 workers (exact null)', async () => {
    const one = await bake(busyMix(), { workers: 1 });
    const two = await bake(busyMix(), { workers: 2 });
    expect(rmsDb(one[0]!)).toBeGreaterThan(-30);
    expect(nullDb(one[0]!, two[0]!)).toBe(-Infinity);
    expect(nullDb(one[1]!, two[1]!)).toBe(-Infinity);
  });

  it('gives the same samples whatever the block size (exact null)', async () => {
    const big = await bake(busyMix(), { blockFrames: 8192 });
    for (const blockFrames of [128, 1000]) {
      const small = await bake(busyMix(), { blockFrames });
      expect(nullDb(big[0]!, small[0]!)).toBe(-Infinity);
      expect(nullDb(big[1]!, small[1]!)).toBe(-Infinity);
    }
  });

  const fullMix = (): MixState => {
    const m = busyMix();
    const kick = m.tracks[0]!;
    const bass = m.tracks[1]!;
    const gtr = m.tracks[2]!;
    bass.comp = { ...defaultCompressor(), on: true, threshold: -30, ratio: 6, attack: 0.003, release: 0.08, knee: 3, makeup: 2, sidechain: kick.id };
    kick.comp = { ...kick.comp, on: true, threshold: -20 };
    gtr.sat = { ...defaultSaturation(), on: true, drive: 12, mix: 0.7 };
    m.tracks[3]!.sends = [{ ...defaultSend('echo'), level: -8, pre: false, on: true }];
    m.buses = [
      m.buses[0]!,
      testMix.bus('echo', 'aux', { effect: { ...defaultDelay(), time: 0.25, feedback: 0.4, damping: 5000 }, order: 1 }),
      testMix.bus('verb', 'aux', { effect: { ...defaultReverb(), decay: 1.2, preDelay: 0.01, damping: 7000 }, order: 2 }),
    ];
    m.master = {
      ...defaultMaster(),
      gain: -2,
      glue: { ...defaultMaster().glue, on: true, threshold: -14, ratio: 2, attack: 0.01, release: 0.2, knee: 6, makeup: 1 },
      limiter: { ...defaultMaster().limiter, on: true, ceiling: -1, release: 0.05 },
      automation: {},
    };
    return m;
  };

  it('with every processor on (sidechain, saturation, reverb, delay, glue, limiter): same samples for any worker count and block size', async () => {
    const ref = await bake(fullMix(), { workers: 1, blockFrames: 8192 });
    expect(rmsDb(ref[0]!)).toBeGreaterThan(-40);
    const variants = [
      await bake(fullMix(), { workers: 2, blockFrames: 8192 }),
      await bake(fullMix(), { workers: 3, blockFrames: 128 }),
      await bake(fullMix(), { workers: 2, blockFrames: 3001 }),
    ];
    for (const v of variants) {
      expect(nullDb(ref[0]!, v[0]!)).toBe(-Infinity);
      expect(nullDb(ref[1]!, v[1]!)).toBe(-Infinity);
    }
    // The sidechain really acts: the bass with the kick key differs from the bass alone.
    const noKey = fullMix();
    noKey.tracks[1]!.comp.sidechain = null;
    expect(nullDb(ref[0]!, (await bake(noKey))[0]!)).toBeGreaterThan(-60);
  });

  it('removes the limiter look-ahead so the bake lines up with the stems', async () => {
    const quiet = testMix.state([toneTrack('t')]);
    quiet.master.limiter = { ...defaultMaster().limiter, on: true, ceiling: 0, release: 0.05 }; // far above a -9 dBFS tone: transparent
    const stream = await bakeMix(buildMixPlan(quiet), { stems: createFileStemSource(dir), workers: 1 });
    expect(stream.info.latencyFrames).toBeGreaterThan(0);
    const out = await collect(stream);
    const expected = tone.map((x) => x * Math.fround(Math.SQRT1_2));
    const residual = nullDb(out[0]!, expected);
    console.log(`limiter latency ${stream.info.latencyFrames} frames removed; aligned residual ${residual.toFixed(1)} dBFS`);
    expect(residual).toBeLessThanOrEqual(-120);
  });

  const failure = async (state: MixState): Promise<BakeError> => {
    try {
      await bake(state);
    } catch (err) {
      expect(err).toBeInstanceOf(BakeError);
      return err as BakeError;
    }
    throw new Error('the bake did not fail');
  };

  it('fails with a clear error naming the track when a stem is missing', async () => {
    const err = await failure(testMix.state([stereoTrack('a'), testMix.track('ghost', { name: 'Ghost vox', stem: testMix.stem('nope.wav', 1, FRAMES) })]));
    expect(err.code).toBe('stem-missing');
    expect(err.trackId).toBe('ghost');
    expect(err.message).toMatch(/nope\.wav.*missing|missing.*nope\.wav/);
  });

  it('closes every stem it opened when another one is missing (no file handle left open)', async () => {
    // The missing stem fails first, while the others are still opening: those must be
    // closed too, not left for the garbage collector.
    const openStems = async (): Promise<string[]> => {
      const fds = await readdir('/proc/self/fd').catch(() => [] as string[]);
      const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return targets.filter((t) => t.startsWith(dir));
    };
    expect(await openStems()).toEqual([]);
    const tracks = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => stereoTrack(id));
    const err = await failure(testMix.state([testMix.track('ghost', { stem: testMix.stem('nope.wav', 1, FRAMES) }), ...tracks]));
    expect(err.code).toBe('stem-missing');
    expect(await openStems()).toEqual([]);
  });

  it('fails on a truncated stem instead of playing a gap', async () => {
    const err = await failure(testMix.state([testMix.track('cut', { stem: { ...testMix.stem('cut.wav', 2, FRAMES), fileName: 'cut.wav' } })]));
    expect(err.code).toBe('stem-truncated');
    expect(err.trackId).toBe('cut');
    expect(err.message).toMatch(/truncated/);
  });

  it('fails naming the track when a stem file is cut short during the bake (the workers read it), never a gap', async () => {
    // The length check at open passes; the file then loses its second half before the
    // workers reach it, so only their own reads can notice.
    await copyFile(path.join(dir, 'stereo.wav'), path.join(dir, 'shrinking.wav'));
    const state = testMix.state([testMix.track('shrink', { name: 'Shrinking', stem: { ...testMix.stem('shrinking.wav', 2, FRAMES), fileName: 'shrinking.wav' } })]);
    const stream = await bakeMix(buildMixPlan(state), { stems: createFileStemSource(dir), workers: 1, blockFrames: 4096, trackNames: { shrink: 'Shrinking' } });
    await truncate(path.join(dir, 'shrinking.wav'), 44 + Math.floor(FRAMES / 2) * 8);
    const err = await collect(stream).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).code).toBe('stem-truncated');
    expect((err as BakeError).trackId).toBe('shrink');
    expect((err as BakeError).message).toMatch(/Track "Shrinking".*truncated.*after 48061 of 96123 frames/);
  });

  it('fails on a stem that is not audio', async () => {
    const err = await failure(testMix.state([testMix.track('txt', { stem: { ...testMix.stem('text.wav', 1, FRAMES), fileName: 'text.wav' } })]));
    expect(err.code).toBe('stem-format');
    expect(err.message).toMatch(/not a WAV/);
  });

  it('refuses a malformed plan with a typed error instead of crashing a worker', async () => {
    const plan = buildMixPlan(testMix.state([stereoTrack('a')]));
    const hpf = plan.nodes.find((n) => n.id === 'track:a:hpf')!;
    Object.assign(hpf, { bypass: false, frequency: null }); // what JSON makes of NaN
    const err = await bakeMix(plan, { stems: createFileStemSource(dir), workers: 1 }).then(collect).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).code).toBe('plan-invalid');
    expect((err as BakeError).message).toContain('track:a:hpf');
    const wrongVersion = { ...buildMixPlan(testMix.state([stereoTrack('a')])), version: 99 } as unknown as MixPlan;
    await expect(bakeMix(wrongVersion, { stems: createFileStemSource(dir) })).rejects.toThrow(/version 99/);
  });
});
