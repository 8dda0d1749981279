/**
 * Chunked stem playback in real Chromium (OfflineAudioContext): the engine plays each stem
 * from fixed-size chunks, one AudioBufferSourceNode per chunk, each started at the exact
 * frame its first sample is due. Rendered across many chunk boundaries (from the top, after
 * a seek into the middle of a chunk, and around a loop that wraps mid-chunk), the output
 * must null exactly against the same stem played as one buffer (a chunk bigger than the
 * stem) and equal the stem's samples. A chunk whose read is late leaves only that stretch
 * silent and joins at the right song position the moment it arrives.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildMixPlan, planLatencyFrames } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bundleForBrowser } from './browser/bundleForBrowser.ts';
import type { LateJoinJob } from './browser/chunkJoinHarness.ts';
import { launchChromium } from './browser/launchChromium.ts';
import { serveStatic } from './browser/serveStatic.ts';
import type { StaticServer } from './browser/serveStatic.ts';
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

describe('a chunk that is not ready when due', () => {
  let browser: Browser | null = null;
  let server: StaticServer | null = null;
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is skipped for exactly the frames before it arrives, then joins without shifting time', async () => {
    const js = await bundleForBrowser(fileURLToPath(new URL('./browser/chunkJoinHarness.ts', import.meta.url)));
    server = await serveStatic({
      '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/h.js"></script>' },
      '/h.js': { type: 'text/javascript', body: js },
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.origin + '/');
    await page.waitForFunction(() => 'chunkJoinHarness' in globalThis);
    const C = 4096;
    const seek = 0.1;
    const seekFrame = Math.round(seek * RATE);
    const late = 5; // song frames 20480..24576, output frames 15680..19776
    const arriveFrame = 17_900; // mid-chunk: the first frame the late chunk can play from
    const job: LateJoinJob = { frames: FRAMES, chunkFrames: C, late, arriveAt: arriveFrame / RATE, seek, seed: 44 };
    const encoded = await page.evaluate((j) => (globalThis as unknown as { chunkJoinHarness: { lateJoin(x: LateJoinJob): Promise<string> } }).chunkJoinHarness.lateJoin(j), job);
    const b = Buffer.from(encoded, 'base64');
    const out = new Float32Array(b.byteLength / 4);
    new Uint8Array(out.buffer).set(b);
    const stem = noiseStem(FRAMES, 0.5, 44);
    const gapFrom = late * C - seekFrame;
    let maxErr = 0;
    let gapPeak = 0;
    for (let i = 0; i + seekFrame < FRAMES; i++) {
      if (i >= gapFrom && i < arriveFrame) gapPeak = Math.max(gapPeak, Math.abs(out[i]!));
      else maxErr = Math.max(maxErr, Math.abs(out[i]! - stem[seekFrame + i]!));
    }
    const joined = rmsDb(out, arriveFrame, arriveFrame + 128);
    console.log(`late chunk ${late}: silent for output frames ${gapFrom}..${arriveFrame} (peak ${gapPeak}), joined at ${arriveFrame} (${joined.toFixed(1)} dB over the next 128 frames), elsewhere max error ${maxErr}`);
    // Silent: nothing but the transport's hold level (2^-100, -602 dBFS; see createTransport).
    expect(gapPeak).toBeLessThanOrEqual(2 ** -100);
    expect(joined).toBeGreaterThan(-20);
    expect(maxErr).toBe(0);
  });
});
