/**
 * Page-side harness (bundled for Chromium by bundleForBrowser): the client engine on a live
 * AudioContext, one mono sine track, played to the end of its stem while the page's main
 * thread is busy, then sought back in the same task, as a seek does on a loaded page. Reads
 * the track's meter before the stall and after the seek.
 */
import type { MixPlan } from '@mixroom/shared/plan';
import { AudioContext, createEngine } from '../../client/src/audio/index.ts';

export interface StallSeekJob {
  plan: MixPlan;
  workletUrl: string;
  /** The stem: a sine of `amp` at `freq` Hz, `frames` frames long. */
  frames: number;
  freq: number;
  amp: number;
  /** How long (context seconds) the main thread stays busy past the stem's last sample. */
  stallPastEnd: number;
  /** How long (ms) the track's meter is read after the seek, once `settleMs` have passed. */
  settleMs: number;
  listenMs: number;
}

export interface StallSeekResult {
  /** The track's loudest meter peak (dBFS) while the stem played, before the stall. */
  before: number;
  /** Context seconds past the stem's end at which the seek was made. */
  seekedPastEnd: number;
  /** Every meter peak (dBFS, loudest channel) of the track after the seek. */
  after: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stallThenSeek(job: StallSeekJob): Promise<StallSeekResult> {
  const rate = job.plan.sampleRate;
  const context = new AudioContext({ sampleRate: rate });
  await context.resume();
  const engine = await createEngine({
    context,
    workletUrl: job.workletUrl,
    loadStem: async () => {
      const buffer = context.createBuffer(1, job.frames, rate);
      const data = new Float32Array(job.frames);
      for (let i = 0; i < job.frames; i++) data[i] = job.amp * Math.sin((2 * Math.PI * job.freq * i) / rate);
      buffer.copyToChannel(data, 0);
      return buffer;
    },
  });
  const peaks: number[] = [];
  engine.onMeter((r) => {
    if (r.strip.startsWith('track:')) peaks.push(Math.max(...r.peak));
  });
  try {
    await engine.apply(job.plan);
    const startedAt = engine.play();
    const endAt = startedAt + job.frames / rate;
    // The meter while the stem plays, up to 0.15 s before its end.
    while (context.currentTime < endAt - 0.15) await sleep(10);
    const before = Math.max(...peaks);
    // Busy until past the end (the audio thread goes on: the stem's last buffer source ends
    // while still connected), then seek in the same task. Capped in case the clock stalls.
    const until = performance.now() + 5000;
    while (context.currentTime < endAt + job.stallPastEnd && performance.now() < until);
    const seekedPastEnd = context.currentTime - endAt;
    engine.seek(0);
    await sleep(job.settleMs);
    peaks.length = 0;
    await sleep(job.listenMs);
    return { before, seekedPastEnd, after: [...peaks] };
  } finally {
    engine.dispose();
    await context.close();
  }
}

(globalThis as unknown as { liveSeekHarness: unknown }).liveSeekHarness = { stallThenSeek };
