/**
 * Page-side test harness (bundled for Chromium by bundleForBrowser): renders MixPlans
 * through the real client engine in an OfflineAudioContext. Stems are fetched from the
 * test's static server as planar float32 files (`/stems/<key>.f32`).
 */
import type { MixPlan } from '@mixroom/shared/plan';
import { createEngine, OfflineAudioContext } from '../../client/src/audio/index.ts';
import type { MeterReading } from '../../client/src/audio/index.ts';

export interface HarnessRender {
  plan: MixPlan;
  frames: number;
  workletUrl: string;
  /** Later plans applied at context times (seconds), e.g. a fader move mid-render. */
  changes?: { at: number; plan: MixPlan }[];
  /** A plan applied after play() (e.g. a track added or removed during playback). */
  afterPlay?: MixPlan;
  /** Transport calls before rendering. */
  seek?: number;
  loop?: { start: number; end: number };
  /** The engine's playback chunk size (frames, a power of two); default the engine's. */
  chunkFrames?: number;
  /** Collect every meter reading (default true; a long render makes hundreds of thousands). */
  meters?: boolean;
}

export interface HarnessResult {
  /** Where the page PUT the rendered channels (planar float32, `frames` each). */
  upload: string;
  meters: MeterReading[];
  /** Messages of `apply` calls in `changes` that rejected (the render goes on). */
  applyErrors: string[];
}

let renders = 0;

async function render(job: HarnessRender): Promise<HarnessResult> {
  const context = new OfflineAudioContext({ numberOfChannels: 2, length: job.frames, sampleRate: job.plan.sampleRate });
  const engine = await createEngine({
    context,
    workletUrl: job.workletUrl,
    ...(job.chunkFrames === undefined ? {} : { chunkFrames: job.chunkFrames }),
    loadStem: async (stem, signal) => {
      const res = await fetch(`/stems/${stem.key}.f32`, { signal });
      if (!res.ok) throw new Error(`stem ${stem.key}: HTTP ${res.status}`);
      const data = new Float32Array(await res.arrayBuffer());
      const buffer = context.createBuffer(stem.channels, stem.frames, job.plan.sampleRate);
      for (let c = 0; c < stem.channels; c++) buffer.copyToChannel(data.subarray(c * stem.frames, (c + 1) * stem.frames), c);
      return buffer;
    },
  });
  const meters: MeterReading[] = [];
  if (job.meters !== false) engine.onMeter((r) => meters.push(r));
  await engine.apply(job.plan);
  const applyErrors: string[] = [];
  for (const change of job.changes ?? []) {
    await engine.apply(change.plan, change.at).catch((e: unknown) => applyErrors.push(`${(e as Error).name}: ${(e as Error).message}`));
  }
  if (job.loop) engine.setLoop(job.loop);
  if (job.seek !== undefined) engine.seek(job.seek);
  engine.play(0);
  if (job.afterPlay) await engine.apply(job.afterPlay);
  // The kernels' timeline (play, loop passes) and plan updates must be in before quantum 0.
  await engine.settled();
  const out = await context.startRendering();
  // Let the last meter messages arrive.
  await new Promise((r) => setTimeout(r, 50));
  engine.dispose();
  const planar = new Float32Array(out.length * out.numberOfChannels);
  for (let c = 0; c < out.numberOfChannels; c++) planar.set(out.getChannelData(c), c * out.length);
  const upload = `/uploads/render-${++renders}.f32`;
  const res = await fetch(upload, { method: 'PUT', body: planar });
  if (!res.ok) throw new Error(`uploading the render: HTTP ${res.status}`);
  return { upload, meters, applyErrors };
}

(globalThis as unknown as { mixroomHarness: unknown }).mixroomHarness = { render };
