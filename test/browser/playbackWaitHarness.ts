/**
 * Page-side harness (bundled for Chromium by bundleForBrowser): the client engine on a live
 * AudioContext with two mono sine tracks, `a` always ready and `b` broken in one of three
 * ways, to watch what Play does: how long it buffers, what it reports, when each track
 * sounds (track meters), and whether `b` joins once its audio finally arrives.
 */
import type { MixPlan } from '@mixroom/shared/plan';
import { AudioContext, bufferStemReader, createEngine } from '../../client/src/audio/index.ts';
import type { PlaybackStatus, StemReader } from '../../client/src/audio/index.ts';

export interface WaitJob {
  plan: MixPlan;
  workletUrl: string;
  /** Frames of each stem (a sine of amplitude 0.1). */
  frames: number;
  /**
   * How `b` breaks: its open never completes ('hang-open'), its audio read hangs
   * ('hang-read'), or its open fails ('reject').
   */
  mode: 'hang-open' | 'hang-read' | 'reject';
  /** The engine's stemWaitTimeout, seconds. */
  timeout: number;
  /** For 'hang-read': ms after Play at which `b`'s read finally completes (0: never). */
  releaseMs: number;
  /** How long to watch after Play, ms. */
  watchMs: number;
}

export interface WaitResult {
  /** Status changes, ms after Play. */
  statuses: { ms: number; buffering: boolean; waitingFor: string[] }[];
  /** Reports of stems given up, ms after Play. */
  skipped: { ms: number; keys: string[]; seconds: number }[];
  errors: { ms: number; key: string; message: string }[];
  /** First meter reading above -40 dBFS per track, ms after Play (absent: never). */
  firstSound: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(job: WaitJob): Promise<WaitResult> {
  const rate = job.plan.sampleRate;
  const context = new AudioContext({ sampleRate: rate });
  await context.resume();
  const sine = (freq: number) => {
    const buffer = context.createBuffer(1, job.frames, rate);
    const data = new Float32Array(job.frames);
    for (let i = 0; i < job.frames; i++) data[i] = 0.1 * Math.sin((2 * Math.PI * freq * i) / rate);
    buffer.copyToChannel(data, 0);
    return buffer;
  };
  let t0 = Infinity;
  const since = () => performance.now() - t0;
  const result: WaitResult = { statuses: [], skipped: [], errors: [], firstSound: {} };
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const engine = await createEngine({
    context,
    workletUrl: job.workletUrl,
    stemWaitTimeout: job.timeout,
    onStemsSkipped: (stems, seconds) => result.skipped.push({ ms: since(), keys: stems.map((s) => s.key), seconds }),
    onStemError: (stem, e) => result.errors.push({ ms: since(), key: stem.key, message: (e as Error).message }),
    loadStem: async (stem) => {
      if (stem.key === 'a') return sine(220);
      if (job.mode === 'reject') throw new Error('HTTP 404');
      if (job.mode === 'hang-open') return new Promise<never>(() => undefined);
      const inner = bufferStemReader(sine(330));
      const reader: StemReader = {
        ...inner,
        read: async (start, n, signal) => {
          await released;
          return inner.read(start, n, signal);
        },
      };
      return reader;
    },
  });
  engine.onPlaybackStatus((s: PlaybackStatus) => result.statuses.push({ ms: since(), buffering: s.buffering, waitingFor: s.waitingFor.map((x) => x.key) }));
  engine.onMeter((r) => {
    const id = r.strip.startsWith('track:') ? r.strip.slice('track:'.length) : null;
    if (id && t0 < Infinity && Math.max(...r.peak) > -40 && result.firstSound[id] === undefined) result.firstSound[id] = since();
  });
  try {
    void engine.apply(job.plan); // resolves only once every stem is in: never, for a hung one
    await sleep(300); // `a` is in
    t0 = performance.now();
    engine.play();
    if (job.mode === 'hang-read' && job.releaseMs > 0) setTimeout(release, job.releaseMs);
    await sleep(job.watchMs);
    return result;
  } finally {
    engine.dispose();
    await context.close();
  }
}

(globalThis as unknown as { playbackWaitHarness: unknown }).playbackWaitHarness = { run };
