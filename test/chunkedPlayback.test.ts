/**
 * Chunked stem playback in real Chromium (OfflineAudioContext): the engine plays each stem
 * from fixed-size chunks, one AudioBufferSourceNode per chunk, each started at the exact
 * frame its first sample is due. Rendered across many chunk boundaries (from the top, after
 * a seek into the middle of a chunk, and around a loop that wraps mid-chunk), the output
 * must null exactly against the same stem played as one buffer (a chunk bigger than the
 * stem) and equal the stem's samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan, planLatencyFrames } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { startEngineHarness } from './browser/startEngineHarness.ts';
import type { EngineHarness } from './browser/startEngineHarness.ts';
import { noiseStem, residualDb, rmsDb } from './browser/testStems.ts';

const RATE = 48000;
const FRAMES = RATE; // 1 s stems and renders
/** One chunk holds the whole stem: the stem plays as one buffer, as before chunking. */
const WHOLE = 2 ** 20;
let h: EngineHarness;

const left = noiseStem(FRAMES, 0.5, 31);
const right = noiseStem(FRAMES, 0.5, 32);
const mono = noiseStem(FRAMES, 0.5, 33);

beforeAll(async () => {
  h = await startEngineHarness();
  h.putStem('chunk-s', [left, right]);
  h.putStem('chunk-m', [mono]);
});

afterAll(async () => {
  await h?.close();
});

const stereo = testMix.state([testMix.track('s', { stem: testMix.stem('chunk-s', 2, FRAMES) })]);
// Two stems at once, mono and stereo: every stem's chunks join on their own.
const both = testMix.state([
  testMix.track('s', { stem: testMix.stem('chunk-s', 2, FRAMES), order: 0 }),
  testMix.track('m', { stem: testMix.stem('chunk-m', 1, FRAMES), order: 1, pan: -0.4 }),
]);

const cases = [
  { name: 'from the top', seek: undefined, loop: undefined },
  { name: 'after a seek into the middle of a chunk', seek: 0.3, loop: undefined },
  { name: 'around a loop wrapping mid-chunk', seek: 0.45, loop: { start: 0.1, end: 0.6 } },
] as const;

/** Song frame heard at output frame i (before the plan's latency). */
function songFrame(i: number, seek: number | undefined, loop: { start: number; end: number } | undefined): number {
  const from = Math.round((seek ?? 0) * RATE);
  if (!loop) return from + i;
  const start = Math.round(loop.start * RATE);
  const end = Math.round(loop.end * RATE);
  return from + i < end ? from + i : start + ((from + i - start) % (end - start));
}

describe('chunked stem playback joins chunks sample-exactly', () => {
  for (const c of cases) {
    it(`${c.name}: chunks of 4096 and of 128 frames null against one buffer`, async () => {
      const job = { ...(c.seek === undefined ? {} : { seek: c.seek }), ...(c.loop === undefined ? {} : { loop: c.loop }) };
      for (const state of [stereo, both]) {
        const plan = buildMixPlan(state);
        const whole = await h.render({ plan, frames: FRAMES, chunkFrames: WHOLE, ...job });
        expect(rmsDb(whole.channels[0]!)).toBeGreaterThan(-20);
        for (const chunkFrames of [4096, 128]) {
          const chunked = await h.render({ plan, frames: FRAMES, chunkFrames, ...job });
          const joins = Math.floor(FRAMES / chunkFrames);
          const nulls = [0, 1].map((ch) => residualDb(chunked.channels[ch]!, whole.channels[ch]!));
          console.log(`${c.name}, ${state === stereo ? 'stereo stem' : 'stereo + mono stems'}, ${chunkFrames}-frame chunks (~${joins} joins): null vs one buffer ${nulls.map((d) => d.toFixed(1)).join(' / ')} dB`);
          for (const d of nulls) expect(d).toBe(-Infinity);
        }
      }
      // And the one-buffer render is the stem itself, shifted by the plan's latency.
      const lat = planLatencyFrames(buildMixPlan(stereo));
      const r = await h.render({ plan: buildMixPlan(stereo), frames: FRAMES, chunkFrames: 4096, ...job });
      let maxErr = 0;
      let compared = 0;
      for (let i = 0; i + lat < FRAMES; i++) {
        const song = songFrame(i, c.seek, c.loop);
        if (song >= FRAMES) break;
        maxErr = Math.max(maxErr, Math.abs(r.channels[0]![i + lat]! - left[song]!), Math.abs(r.channels[1]![i + lat]! - right[song]!));
        compared++;
      }
      console.log(`${c.name}: 4096-frame chunks equal the stem's samples over ${compared} frames, max error ${maxErr}`);
      expect(compared).toBeGreaterThan(FRAMES / 3);
      expect(maxErr).toBe(0);
    });
  }
});
