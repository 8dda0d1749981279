/**
 * Chunked stem playback in real Chromium (OfflineAudioContext): the engine plays each stem
 * from fixed-size chunks, one AudioBufferSourceNode per chunk, each started at the exact
 * frame its first sample is due. Rendered across many chunk boundaries (from the top, after
 * a seek into the middle of a chunk, and around a loop that wraps mid-chunk), the output
 * must null exactly against the same stem played as one buffer (a chunk bigger than the
 * stem) and equal the stem's samples. Audio that is late (at Play, mid-playback, at a loop
 * jump) holds every stem playback waits for at the same frame and resumes them together:
 * no stem skips or shifts; a stem it does not wait for (muted) joins in time when it arrives.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildMixPlan, planLatencyFrames } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import type { LateJoinJob, LateJoinResult } from './browser/chunkJoinHarness.ts';
import { openHarnessPage, type HarnessPage } from './browser/openHarnessPage.ts';
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

/** What output frame i of one stem's channel must hold: its song frame, or null for silence. */
type Expect = (i: number) => number | null;

describe('audio that is not ready when due', () => {
  let harness: HarnessPage | null = null;
  let page: Page;
  beforeAll(async () => {
    harness = await openHarnessPage(fileURLToPath(new URL('./browser/chunkJoinHarness.ts', import.meta.url)), 'chunkJoinHarness');
    page = harness.page;
  });
  afterAll(async () => {
    await harness?.close();
  });

  const C = 4096;
  const HOLD = 2 ** -100;
  const seeds = [44, 45];
  const arrive = 17_900; // mid-chunk: the first output frame the late audio can play from
  const base = { frames: FRAMES, chunkFrames: C, seeds, lateStem: 0, arriveAt: arrive / RATE };

  /** Renders `job` and checks every frame of every stem against `expected[stem]`: exact samples, exact silence. */
  async function check(name: string, job: LateJoinJob, expected: Expect[]) {
    const r = await page.evaluate((j) => (globalThis as unknown as { chunkJoinHarness: { lateJoin(x: LateJoinJob): Promise<LateJoinResult> } }).chunkJoinHarness.lateJoin(j), job);
    const stems = seeds.map((seed) => noiseStem(FRAMES, 0.5, seed));
    const report: string[] = [];
    r.channels.forEach((encoded, c) => {
      const b = Buffer.from(encoded, 'base64');
      const out = new Float32Array(b.byteLength / 4);
      new Uint8Array(out.buffer).set(b);
      let maxErr = 0;
      let silentPeak = 0;
      let silent = 0;
      for (let i = 0; i < FRAMES; i++) {
        const song = expected[c]!(i);
        if (song === null || song >= FRAMES) {
          // Silent: nothing but the transport's hold level (2^-100, -602 dBFS; see createTransport).
          if (Math.abs(out[i]!) > HOLD && silentPeak <= HOLD) report.push(`stem ${c} first sound in silence at ${i}`);
          silentPeak = Math.max(silentPeak, Math.abs(out[i]!));
          silent++;
        } else {
          const e = Math.abs(out[i]! - stems[c]![song]!);
          if (e > 0 && maxErr === 0) report.push(`stem ${c} first error at ${i} (song ${song})`);
          maxErr = Math.max(maxErr, e);
        }
      }
      report.push(`stem ${c}: ${silent} silent frames (peak ${silentPeak}), elsewhere max error ${maxErr}`);
    });
    console.log(`${name}: ${report.join('; ')}; statuses ${JSON.stringify(r.statuses)}`);
    expect(report.join('\n')).not.toMatch(/first sound|max error [^0]/);
    return r;
  }

  it('Play into audio not read yet: every awaited stem waits, then all start on one frame at the playhead', async () => {
    const seek = 0.3;
    const from = Math.round(seek * RATE);
    const startAt: Expect = (i) => (i < arrive ? null : from + (i - arrive));
    const r = await check('play waits', { ...base, late: Math.floor(from / C), awaited: null, seek }, [startAt, startAt]);
    expect(r.statuses).toEqual([{ buffering: true, waitingFor: ['s0'] }, { buffering: false, waitingFor: [] }]);
  });

  it('a chunk late during playback: every stem holds at its boundary and all resume together, nothing skipped', async () => {
    const seek = 0.1;
    const from = Math.round(seek * RATE);
    const late = 5; // song frames 20480..24576
    const gapFrom = late * C - from;
    const held: Expect = (i) => (i < gapFrom ? from + i : i < arrive ? null : late * C + (i - arrive));
    const r = await check('late chunk', { ...base, late, awaited: null, seek }, [held, held]);
    expect(r.statuses).toEqual([{ buffering: true, waitingFor: ['s0'] }, { buffering: false, waitingFor: [] }]);
  });

  it('a loop jump into audio not read yet: held at the loop end, then every stem from the loop start', async () => {
    const seek = 0.45;
    const loop = { start: 0.1, end: 0.6 };
    const [from, ls, le] = [seek, loop.start, loop.end].map((x) => Math.round(x * RATE)) as [number, number, number];
    const wrap = le - from;
    const looped: Expect = (i) => (i < wrap ? from + i : i < arrive ? null : ls + ((i - arrive) % (le - ls)));
    await check('loop jump', { ...base, late: Math.floor(ls / C), awaited: null, seek, loop }, [looped, looped]);
  });

  it('a stem playback does not wait for (muted) is skipped for exactly the frames before it arrives, and joins in time', async () => {
    const seek = 0.1;
    const from = Math.round(seek * RATE);
    const late = 5;
    const gapFrom = late * C - from;
    const joined: Expect = (i) => (i >= gapFrom && i < arrive ? null : from + i);
    const r = await check('not awaited', { ...base, late, awaited: [1], seek }, [joined, (i) => from + i]);
    expect(r.statuses).toEqual([]);
  });
});
