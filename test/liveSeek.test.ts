/**
 * The engine on a live AudioContext in real Chromium: a seek made while the page's main
 * thread is busy must leave every track sounding.
 *
 * The memory e2e test saw one of 40 tracks stay silent after a seek under CPU load. A seek
 * stops and disconnects each playing buffer source and starts new ones; on a busy page a
 * render quantum can pass between one source's stop() and its disconnect(), so the source
 * ends while it is still its strip's only input. Chromium then disables the strip down to
 * its first BiquadFilterNode, which starts tail processing, and the (bypassed) biquad's
 * short tail ends while the main thread is still busy. If, in that same task, the biquad's
 * input is disconnected and reconnected (standardized-audio-context does it when the strip
 * goes "passive" and "active" again), Chromium disables the biquad once the task ends and
 * it stays disabled, connected: the track's meter reads -Infinity until something connects
 * to the biquad again.
 *
 * The stall between stop() and disconnect() cannot be placed from outside the engine, so
 * this test makes the same state from the other side: the stem's last buffer source ends
 * while the main thread is busy, and the seek comes in that same task.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildMixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import type { StallSeekJob, StallSeekResult } from './browser/liveSeekHarness.ts';
import { openHarnessPage, type HarnessPage } from './browser/openHarnessPage.ts';

const RATE = 48000;
const FRAMES = Math.round(1.2 * RATE); // longer than the settle + listen time after the seek
const AMP = 0.1;
/** The track meter's reading of that sine: -20 dBFS, -3 dB from the centre pan's equal-power law. */
const TRACK_DB = -23;

let harness: HarnessPage | null = null;
let page: Page;

beforeAll(async () => {
  harness = await openHarnessPage(fileURLToPath(new URL('./browser/liveSeekHarness.ts', import.meta.url)), 'liveSeekHarness', { worklet: true, liveAudio: true });
  page = harness.page;
});

afterAll(async () => {
  await harness?.close();
});

describe('a seek while the main thread is busy', () => {
  it('leaves the track sounding when its last buffer source ended during the stall', async () => {
    const plan = buildMixPlan(testMix.state([testMix.track('t', { stem: testMix.stem('tone', 1, FRAMES) })]));
    const job: StallSeekJob = { plan, workletUrl: '/worklet.js', frames: FRAMES, freq: 440, amp: AMP, stallPastEnd: 0.3, settleMs: 300, listenMs: 400 };
    // Twice: the second run starts on a page whose earlier engine was disposed.
    for (let run = 1; run <= 2; run++) {
      const r = await page.evaluate(
        (j) => (globalThis as unknown as { liveSeekHarness: { stallThenSeek(x: StallSeekJob): Promise<StallSeekResult> } }).liveSeekHarness.stallThenSeek(j),
        job,
      );
      const silent = r.after.filter((p) => !(p > -40)).length;
      console.log(
        `run ${run}: track peak ${r.before.toFixed(1)} dBFS before the stall; seek ${(r.seekedPastEnd * 1000).toFixed(0)} ms after the stem ended; ` +
          `after the seek ${r.after.length} meter readings, ${silent} below -40 dBFS (peaks ${Math.min(...r.after).toFixed(1)} .. ${Math.max(...r.after).toFixed(1)} dBFS)`,
      );
      expect(r.before).toBeCloseTo(TRACK_DB, 0);
      // The stall really covered the end of the stem (and the biquad's tail after it).
      expect(r.seekedPastEnd).toBeGreaterThan(0.2);
      expect(r.after.length).toBeGreaterThan(10);
      expect(silent).toBe(0);
      expect(Math.min(...r.after)).toBeCloseTo(TRACK_DB, 0);
    }
  });
});
