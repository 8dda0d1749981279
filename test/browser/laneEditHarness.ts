/**
 * Page-side harness (bundled by bundleForBrowser): the engine's automation scheduler on a
 * real Chromium AudioParam in a native OfflineAudioContext, which (unlike
 * standardized-audio-context's) can suspend mid-render: a lane edit arrives at `at` while
 * the song plays, as a peer's edit does live.
 */
import type { ParamSchedule } from '@mixroom/shared/plan';
import { createAutomationScheduler } from '../../client/src/audio/createAutomationScheduler.ts';
import type { EngineContext } from '../../client/src/audio/MixEngine.ts';

export interface LaneEditJob {
  sampleRate: number;
  frames: number;
  /** The lane the song starts with, and the edited lane that arrives at `at` seconds. */
  before: ParamSchedule;
  after: ParamSchedule | null;
  at: number;
  /** The static value the param returns to when the lane is deleted (`after` null). */
  staticValue: number;
}

async function laneEdit(job: LaneEditJob): Promise<number[]> {
  const ctx = new OfflineAudioContext(1, job.frames, job.sampleRate);
  const one = new ConstantSourceNode(ctx, { offset: 1 });
  const gain = new GainNode(ctx, { gain: job.staticValue });
  one.connect(gain).connect(ctx.destination);
  one.start();
  // The scheduler only reads the context's clock and rate; the param is Chromium's own.
  const automation = createAutomationScheduler(ctx as unknown as EngineContext);
  const param = gain.gain as unknown as Parameters<typeof automation.bind>[0];
  automation.bind(param, job.before, job.staticValue, 0);
  automation.timeline([{ id: 0, when: 0, off: 0, until: Infinity }], job.frames);
  const at = Math.floor((job.at * job.sampleRate) / 128) * (128 / job.sampleRate);
  void ctx.suspend(at).then(() => {
    automation.bind(param, job.after, job.staticValue, ctx.currentTime);
    return ctx.resume();
  });
  const out = await ctx.startRendering();
  return Array.from(out.getChannelData(0));
}

(globalThis as unknown as { laneEditHarness: unknown }).laneEditHarness = { laneEdit };
