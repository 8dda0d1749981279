import { mkdir, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { BakeError } from '../server/src/render/BakeError.ts';
import { BAKE_FORMATS } from '../server/src/render/BakeFormat.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { renderBakeFormats, type RenderBakeFormatsOptions } from '../server/src/render/renderBakeFormats.ts';
import { BakeThreads } from '../server/src/render/workers/BakeThreads.ts';
import { bakeBenchMix } from './bench/bakeBenchMix.ts';
import { noise, sine, tempDir, writeStem } from './renderFixtures.ts';

const RATE = 48000;
const FRAMES = RATE * 4 + 333;

let dir: string;
let dispose: () => Promise<void>;
/** Full strips, reverb and delay buses, glue and limiter. */
let plan: MixPlan;
/** Each format's sha256 from bakes that start and end their own threads. */
let reference: string[];

const bake = (extra: Partial<RenderBakeFormatsOptions> = {}) =>
  renderBakeFormats(plan, { stems: createFileStemSource(path.join(dir, 'stems')), formats: BAKE_FORMATS, workers: 2, blockFrames: 4096, ...extra });
const hashes = (r: Awaited<ReturnType<typeof bake>>) => r.files.map((f) => f.sha256);
/** Resolves when the thread has ended (at once if it already has: its threadId is then -1). */
const exited = (w: Worker) => new Promise<void>((resolve) => (w.threadId === -1 ? resolve() : w.once('exit', () => resolve())));
/** Files under `dir` this process still holds open (Linux: /proc/self/fd; deleted ones too). */
async function openUnder(dir: string): Promise<string[]> {
  const links = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return links.filter((l) => l.startsWith(dir));
}

/**
 * Runs `use` on a fresh set of kept threads and closes them after, whatever happens; returns
 * them (closed) for checks of what they did.
 */
async function withThreads(options: ConstructorParameters<typeof BakeThreads>[0], use: (threads: BakeThreads) => Promise<void>): Promise<BakeThreads> {
  const threads = new BakeThreads(options);
  try {
    await use(threads);
  } finally {
    await threads.close();
  }
  return threads;
}

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  await mkdir(path.join(dir, 'stems'));
  for (let i = 0; i < 3; i++) await writeStem(path.join(dir, 'stems'), `s${i}.wav`, [noise(FRAMES, 0.4, 20 + i), sine(FRAMES, 110 * (i + 1), 0.3)]);
  plan = buildMixPlan(bakeBenchMix(3, FRAMES, RATE, (i) => `s${i}.wav`));
  reference = hashes(await bake());
});

afterAll(async () => {
  await dispose?.();
});

describe('BakeThreads: track workers and encoder threads kept between bakes', () => {
  it('a second bake reuses the kept threads and gives the same bytes as bakes that start their own', async () => {
    const tmpDir = path.join(dir, 'tmp-reuse');
    await mkdir(tmpDir);
    const threads = await withThreads({}, async (threads) => {
      const first = await bake({ threads, tmpDir });
      // Nothing of the bake stays open in its kept threads (the MP3's spool, the files).
      expect(await openUnder(tmpDir)).toEqual([]);
      expect(await readdir(tmpDir)).toEqual([]);
      expect(threads.track.idleCount).toBe(2);
      expect(threads.format.idleCount).toBe(2);
      const second = await bake({ threads, tmpDir });
      expect(await openUnder(tmpDir)).toEqual([]);
      console.log(`cold ${hashes(first).map((h) => h.slice(0, 12)).join(' ')}; warm ${hashes(second).map((h) => h.slice(0, 12)).join(' ')}`);
      expect(hashes(first)).toEqual(reference);
      expect(hashes(second)).toEqual(reference);
      expect(second.loudness).toEqual(first.loudness);
      expect(second.files.map((f) => f.measurement)).toEqual(first.files.map((f) => f.measurement));
      // Two bakes, one set of threads.
      expect(threads.track.started).toBe(2);
      expect(threads.format.started).toBe(2);
      // A bake of fewer formats takes one encoder thread (the other stays idle) and meters
      // the master there: no state of the last bake (its master meter) is carried over.
      const wavOnly = await bake({ threads, formats: ['wav24'] });
      expect(wavOnly.files[0]!.sha256).toBe(reference[0]);
      expect(wavOnly.loudness).toEqual(first.loudness);
      expect(threads.format.started).toBe(2);
    });
    expect(threads.track.idleCount + threads.format.idleCount).toBe(0);
  });

  it('two bakes at once on the same kept threads each get threads of their own and the same bytes', async () => {
    await withThreads({}, async (threads) => {
      await bake({ threads });
      const both = await Promise.all([bake({ threads }), bake({ threads })]);
      for (const r of both) expect(hashes(r)).toEqual(reference);
      // Two idle sets were not there: the second bake started its own, and both were kept after.
      expect(threads.track.started).toBe(4);
      expect(threads.format.started).toBe(4);
      expect(threads.track.idleCount).toBe(2);
      expect(threads.format.idleCount).toBe(2);
    });
  });

  it('a kept thread that dies while idle is dropped and replaced by a new one', async () => {
    await withThreads({}, async (threads) => {
      await bake({ threads });
      const [track] = threads.track.idleThreads();
      const [encoder] = threads.format.idleThreads();
      await Promise.all([track!.terminate(), encoder!.terminate()]);
      while (threads.track.idleCount + threads.format.idleCount > 2) await new Promise((r) => setTimeout(r, 20));
      expect(threads.track.idleCount).toBe(1);
      expect(threads.format.idleCount).toBe(1);
      expect(hashes(await bake({ threads }))).toEqual(reference);
      expect(threads.track.started).toBe(3);
      expect(threads.format.started).toBe(3);
    });
  });

  it('a thread killed mid-bake fails that bake with a typed error; the next bake on the same threads is whole', async () => {
    const tmp = path.join(dir, 'tmp-killed');
    await mkdir(tmp);
    await withThreads({}, async (threads) => {
      await bake({ threads });
      for (const kind of ['track', 'format'] as const) {
        const victim = threads[kind].idleThreads()[0]!;
        let killed = false;
        const err = await bake({
          threads,
          tmpDir: tmp,
          onProgress: (p) => {
            if (!killed && p.framesDone > 0) {
              killed = true;
              void victim.terminate();
            }
          },
        }).catch((e: unknown) => e);
        expect(killed).toBe(true);
        expect(err).toBeInstanceOf(BakeError);
        expect((err as BakeError).code).toBe('worker');
        expect(await readdir(tmp)).toEqual([]);
        // The failed bake's threads were ended, not kept.
        for (const w of [...threads.track.idleThreads(), ...threads.format.idleThreads()]) expect(w).not.toBe(victim);
        const after = await bake({ threads });
        expect(hashes(after)).toEqual(reference);
      }
    });
  });

  it('a bake cancelled mid-render ends its threads; the threads kept before still bake whole', async () => {
    await withThreads({}, async (threads) => {
      await bake({ threads });
      const controller = new AbortController();
      const err = await bake({
        threads,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.framesDone > 0) controller.abort();
        },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BakeError);
      expect((err as BakeError).code).toBe('cancelled');
      expect(threads.track.idleCount).toBe(0);
      expect(threads.format.idleCount).toBe(0);
      expect(hashes(await bake({ threads }))).toEqual(reference);
      expect(threads.track.idleCount).toBe(2);
      expect(threads.format.idleCount).toBe(2);
    });
  });

  it('at most maxIdle threads are kept', async () => {
    await withThreads({ maxIdleTrackThreads: 1, maxIdleFormatThreads: 1 }, async (threads) => {
      await bake({ threads });
      expect(threads.track.idleCount).toBe(1);
      expect(threads.format.idleCount).toBe(1);
      expect(hashes(await bake({ threads }))).toEqual(reference);
      expect(threads.track.started).toBe(3);
      expect(threads.format.started).toBe(3);
    });
  });

  it('idle threads end after the idle time; the next bake starts new ones', async () => {
    let encoders: Worker[] = [];
    await withThreads({ idleMs: 200 }, async (threads) => {
      await bake({ threads, onEncoderThreads: (t) => (encoders = [...new Set(t.map((e) => e.worker))]) });
      // Kept, then ended by the idle timer (no one else ends them).
      await Promise.all(encoders.map(exited));
      while (threads.track.idleCount + threads.format.idleCount > 0) await new Promise((r) => setTimeout(r, 50));
      expect(hashes(await bake({ threads }))).toEqual(reference);
      expect(threads.track.started).toBe(4);
      expect(threads.format.started).toBe(4);
    });
  });
});
