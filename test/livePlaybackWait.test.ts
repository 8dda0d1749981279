/**
 * A stem that does not come must not hang Play (issue 14): the engine on a live
 * AudioContext in real Chromium, two tracks, one broken. Play buffers (naming the stem it
 * waits for), nothing sounds meanwhile, and after the wait timeout the engine reports the
 * stem and plays without it; when its audio finally arrives it joins. A stem whose open
 * fails is reported and not waited for at all.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildMixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import type { WaitJob, WaitResult } from './browser/playbackWaitHarness.ts';
import { openHarnessPage, type HarnessPage } from './browser/openHarnessPage.ts';

const RATE = 48000;
const FRAMES = 8 * RATE;
const TIMEOUT_S = 1.5;

let harness: HarnessPage | null = null;
let page: Page;

beforeAll(async () => {
  harness = await openHarnessPage(fileURLToPath(new URL('./browser/playbackWaitHarness.ts', import.meta.url)), 'playbackWaitHarness', { worklet: true, liveAudio: true });
  page = harness.page;
});

afterAll(async () => {
  await harness?.close();
});

const plan = buildMixPlan(
  testMix.state([testMix.track('a', { stem: testMix.stem('a', 1, FRAMES), order: 0 }), testMix.track('b', { stem: testMix.stem('b', 1, FRAMES), order: 1 })]),
);

function run(job: Omit<WaitJob, 'plan' | 'workletUrl' | 'frames' | 'timeout'>): Promise<WaitResult> {
  const full: WaitJob = { ...job, plan, workletUrl: '/worklet.js', frames: FRAMES, timeout: TIMEOUT_S };
  return page.evaluate((j) => (globalThis as unknown as { playbackWaitHarness: { run(x: WaitJob): Promise<WaitResult> } }).playbackWaitHarness.run(j), full);
}

describe('a stem that does not come', () => {
  for (const mode of ['hang-read', 'hang-open'] as const) {
    it(`(${mode === 'hang-read' ? 'its audio read hangs' : 'its open hangs'}): Play buffers, reports it after the timeout and plays without it`, async () => {
      const release = mode === 'hang-read' ? (TIMEOUT_S + 1.5) * 1000 : 0;
      const r = await run({ mode, releaseMs: release, watchMs: (TIMEOUT_S + 3) * 1000 });
      console.log(`${mode}: ${JSON.stringify(r)}`);
      // Buffering at once, waiting for b only; then playing.
      expect(r.statuses[0]).toMatchObject({ buffering: true, waitingFor: ['b'] });
      expect(r.statuses.at(-1)).toMatchObject({ buffering: false, waitingFor: [] });
      // Reported once, naming b, after the whole timeout.
      expect(r.skipped).toHaveLength(1);
      expect(r.skipped[0]!.keys).toEqual(['b']);
      expect(r.skipped[0]!.seconds).toBe(TIMEOUT_S);
      expect(r.skipped[0]!.ms).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
      // Nothing sounded while Play waited: a starts only once b is given up.
      expect(r.firstSound['a']).toBeGreaterThan(r.skipped[0]!.ms);
      if (mode === 'hang-read') {
        // b's audio arrives later and joins.
        expect(r.firstSound['b']).toBeGreaterThan(release);
      } else {
        expect(r.firstSound['b']).toBeUndefined();
      }
      expect(r.errors).toEqual([]);
    });
  }

  it('(its open fails): reported, never waited for; the rest plays at once', async () => {
    const r = await run({ mode: 'reject', releaseMs: 0, watchMs: 1500 });
    console.log(`reject: ${JSON.stringify(r)}`);
    expect(r.errors.map((e) => [e.key, e.message])).toEqual([['b', 'HTTP 404']]);
    expect(r.statuses.filter((s) => s.buffering)).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.firstSound['a']).toBeDefined();
  });
});
