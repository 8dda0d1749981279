/**
 * A peer's lane edit while the song plays: the engine's automation scheduler, on a real
 * Chromium AudioParam, holds the param where it is and ramps onto the new lane over
 * PARAM_RAMP_SECONDS (no click), then plays the new lane exactly; a deleted lane hands the
 * param back to its static value the same way. Rendered and measured, frame by frame.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbToGain, PARAM_RAMP_SECONDS } from '@mixroom/shared/dsp';
import { DB_TO_GAIN, laneSchedule, mapSchedule, ScheduleCursor, type ParamSchedule } from '@mixroom/shared/plan';
import type { AutomationLane } from '@mixroom/shared/model';
import type { LaneEditJob } from './browser/laneEditHarness.ts';
import { openHarnessPage, type HarnessPage } from './browser/openHarnessPage.ts';

const RATE = 48000;
const FRAMES = RATE;
const lane = (...pts: [number, number][]): AutomationLane => ({ points: pts.map(([time, value], i) => ({ id: `p${i}`, time, value, curve: 'linear' as const })) });
const gainOf = (l: AutomationLane): ParamSchedule => mapSchedule(laneSchedule(l, RATE)!, DB_TO_GAIN);

let harness: HarnessPage | null = null;
let page: Page;
beforeAll(async () => {
  harness = await openHarnessPage(fileURLToPath(new URL('./browser/laneEditHarness.ts', import.meta.url)), 'laneEditHarness');
  page = harness.page;
});
afterAll(async () => {
  await harness?.close();
});

const render = (job: LaneEditJob) => page.evaluate((j) => (globalThis as unknown as { laneEditHarness: { laneEdit(x: LaneEditJob): Promise<number[]> } }).laneEditHarness.laneEdit(j), job);

/** Largest |a − b| in dB of full scale over frames [from, to). */
function errorDb(out: number[], expected: (frame: number) => number, from: number, to: number): number {
  let worst = 0;
  for (let k = from; k < to; k++) worst = Math.max(worst, Math.abs(out[k]! - expected(k)));
  return 20 * Math.log10(worst);
}

describe('a lane edited while the song plays', () => {
  // The fader rides -20 -> -10 dB; a peer redraws it at 0.5 s to sit at 0 dB -> -6 dB.
  const before = gainOf(lane([0, -20], [1, -10]));
  const after = gainOf(lane([0, 0], [1, -6]));
  const AT = 0.5;
  const edit = Math.floor((AT * RATE) / 128) * 128;
  const ramp = Math.round(PARAM_RAMP_SECONDS * RATE);

  it('plays the old lane up to the edit, ramps without a click, then plays the new lane', async () => {
    const out = await render({ sampleRate: RATE, frames: FRAMES, before, after, at: AT, staticValue: 1 });
    const old = new ScheduleCursor(before, RATE);
    const next = new ScheduleCursor(after, RATE);
    const beforeErr = errorDb(out, (k) => old.valueAt(k), 0, edit);
    const afterErr = errorDb(out, (k) => next.valueAt(k), edit + ramp + 1, FRAMES);
    // The ramp: from where the old lane was to where the new one is, in steps no larger than an even ramp's.
    let maxStep = 0;
    for (let k = edit; k < edit + ramp + 1; k++) maxStep = Math.max(maxStep, Math.abs(out[k + 1]! - out[k]!));
    const even = (next.valueAt(edit + ramp) - old.valueAt(edit)) / ramp;
    console.log(
      `lane edit at ${edit} frames: old lane ${beforeErr.toFixed(1)} dBFS before, new lane ${afterErr.toFixed(1)} dBFS after ${ramp} frames; ` +
        `largest step in the ramp ${maxStep.toExponential(2)} (an even ramp: ${even.toExponential(2)}; the jump it replaces: ${(next.valueAt(edit) - old.valueAt(edit)).toFixed(2)})`,
    );
    expect(beforeErr).toBeLessThanOrEqual(-100);
    expect(afterErr).toBeLessThanOrEqual(-100);
    expect(maxStep).toBeLessThanOrEqual(Math.abs(even) * 1.05);
  });

  it('a deleted lane hands the param back to its static value, ramped', async () => {
    const out = await render({ sampleRate: RATE, frames: FRAMES, before, after: null, at: AT, staticValue: dbToGain(-3) });
    const old = new ScheduleCursor(before, RATE);
    const beforeErr = errorDb(out, (k) => old.valueAt(k), 0, edit);
    const afterErr = errorDb(out, () => Math.fround(dbToGain(-3)), edit + ramp + 1, FRAMES);
    let maxStep = 0;
    for (let k = edit; k < edit + ramp + 1; k++) maxStep = Math.max(maxStep, Math.abs(out[k + 1]! - out[k]!));
    const even = (dbToGain(-3) - old.valueAt(edit)) / ramp;
    console.log(`lane deleted: static -3 dB after the ramp (${afterErr.toFixed(1)} dBFS), largest step ${maxStep.toExponential(2)} (even ramp ${even.toExponential(2)})`);
    expect(beforeErr).toBeLessThanOrEqual(-100);
    expect(afterErr).toBeLessThanOrEqual(-100);
    expect(maxStep).toBeLessThanOrEqual(Math.abs(even) * 1.05);
  });
});
