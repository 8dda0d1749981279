/**
 * The gate's and the de-esser's control sub-blocks (16 song frames, shared/src/dsp/
 * controlSubBlock.ts) are counted from the song's first frame, so a playback started at any
 * song frame cuts the same sub-blocks as the bake. Unit and twin tests cover the kernels; this
 * plays it through the real client engine in headless Chromium (OfflineAudioContext, the
 * app's worklets): a seek to a song frame that is not a multiple of 16, with a gate and a
 * de-esser on, nulled against the server bake of the same span (<= -90 dBFS).
 *
 * The track is digital silence before the seek point, so the bake's kernels reach it in the
 * same state as the browser's fresh ones; what could still differ is only where the control
 * steps fall. A bake whose sub-blocks start at the seek point instead (the same audio as a stem
 * of its own) shows what a misplaced grid would leave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeesser, type MixState, type TrackState } from '@mixroom/shared/model';
import { buildMixPlan, planLatencyFrames } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeInNode } from './browser/bakeInNode.ts';
import { startEngineHarness, type EngineHarness } from './browser/startEngineHarness.ts';
import { burstStem, noiseStem, peakDb, placeStem, residualDb } from './browser/testStems.ts';

const RATE = 48000;
const LIMIT_DB = -90;
/** The seek point: 1.50027 s, 13 frames past a sub-block boundary. */
const SEEK_FRAME = 72_013;
/** What is compared after the seek. */
const LISTEN = Math.round(0.6 * RATE);
const CONTENT = RATE;

let h: EngineHarness;
const stems = new Map<string, Float32Array[]>();

/** Noise hits every 150 ms (the gate opens and closes on each) over a quiet noise floor, bright enough to de-ess. */
function content(seed: number): Float32Array {
  const hits = burstStem(CONTENT, RATE, seed, 0.15, 0, 0.6);
  const floor = noiseStem(CONTENT, 0.01, seed + 1);
  return hits.map((x, i) => x + floor[i]!);
}

beforeAll(async () => {
  h = await startEngineHarness();
  const put = (key: string, channels: Float32Array[]) => {
    stems.set(key, channels);
    h.putStem(key, channels);
  };
  const left = content(31);
  const right = content(41);
  // In the song: silence, then the hits from the seek point on.
  put('song', [placeStem(left, SEEK_FRAME, CONTENT), placeStem(right, SEEK_FRAME, CONTENT)]);
  // The same audio as a stem of its own: its sub-blocks start where the hits do.
  put('alone', [left, right]);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

function gatedAndDeessed(stem: string, frames: number, on = true): MixState {
  const base = testMix.track('x');
  const track: TrackState = testMix.track('t', {
    stem: testMix.stem(stem, 2, frames),
    gate: { ...base.gate, on, threshold: -30, range: -40, hold: 0.005, release: 0.03 },
    deess: { ...defaultDeesser(), on, mode: 'split', freq: 6000, threshold: -36, range: 8 },
  });
  return testMix.state([track]);
}

const worst = (a: Float32Array[], b: Float32Array[], shift: number) =>
  Math.max(...[0, 1].map((c) => residualDb(a[c]!, b[c]!.subarray(shift, shift + LISTEN), 0, LISTEN)));

describe('a start at a song frame off the 16-frame grid', () => {
  it(`plays the gate and the de-esser as the bake does from frame ${SEEK_FRAME} (${SEEK_FRAME % 16} past the grid)`, async () => {
    expect(SEEK_FRAME % 16).not.toBe(0);
    const plan = buildMixPlan(gatedAndDeessed('song', SEEK_FRAME + CONTENT));
    const browser = (await h.render({ plan, frames: LISTEN, meters: false, seek: SEEK_FRAME / RATE })).channels;
    const bake = await bakeInNode(plan, stems, SEEK_FRAME + LISTEN);
    // Browser frame i is song frame SEEK_FRAME + i (both include the plan's latency).
    const residual = worst(browser, bake, SEEK_FRAME);
    const level = Math.max(peakDb(browser[0]!), peakDb(browser[1]!));

    // The processors act on this audio: without them the bake differs by far more.
    const open = await bakeInNode(buildMixPlan(gatedAndDeessed('song', SEEK_FRAME + CONTENT, false)), stems, SEEK_FRAME + LISTEN);
    const effect = worst(bake.map((ch) => ch.subarray(SEEK_FRAME)), open, SEEK_FRAME);
    // A grid counted from the seek point instead of the song's start.
    const alonePlan = buildMixPlan(gatedAndDeessed('alone', CONTENT));
    const misplaced = worst(browser, await bakeInNode(alonePlan, stems, LISTEN), 0);
    console.log(
      `seek to frame ${SEEK_FRAME}, gate + de-esser: residual ${residual.toFixed(1)} dBFS (signal peak ${level.toFixed(1)} dBFS, latency ${planLatencyFrames(plan)} frames); ` +
        `processors off differ by ${effect.toFixed(1)} dBFS, a grid from the seek point by ${misplaced.toFixed(1)} dBFS`,
    );
    expect(level).toBeGreaterThan(-20);
    expect(effect).toBeGreaterThan(-40);
    expect(misplaced).toBeGreaterThan(LIMIT_DB + 20);
    expect(residual).toBeLessThanOrEqual(LIMIT_DB);
  }, 180_000);
});
