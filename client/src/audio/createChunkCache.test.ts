import { describe, expect, it } from 'vitest';
import type { TAnyAudioBuffer } from 'standardized-audio-context';
import { createChunkCache } from './createChunkCache.ts';
import type { ChunkCacheOptions, ChunkWant } from './createChunkCache.ts';
import type { StemReader } from './StemReader.ts';

const C = 1024;
const MiB = 1024 * 1024;

/**
 * An in-memory reader: a chunk is a plain record of what was asked for (the cache never
 * looks inside buffers). `gate` holds reads until released, to observe order and in-flight state.
 */
function memoryReader(frames: number, channels = 1) {
  const reads: number[] = [];
  const pending: { start: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let failNext = 0;
  const reader: StemReader = {
    channels,
    sampleRate: 48000,
    frames,
    read(start, n, signal) {
      reads.push(start / C);
      return new Promise<TAnyAudioBuffer>((resolve, reject) => {
        const entry = {
          start,
          resolve: () => (failNext > 0 ? (failNext--, reject(new Error('network down'))) : resolve({ start, length: n } as unknown as TAnyAudioBuffer)),
          reject,
        };
        pending.push(entry);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    },
  };
  return {
    reader,
    reads,
    pending,
    failNextReads: (n: number) => void (failNext = n),
  };
}

/** Completes every read in flight, lets the cache start the next ones, until none is left. */
async function flush(...readers: ReturnType<typeof memoryReader>[]) {
  for (let i = 0; i < 50 && readers.some((r) => r.pending.length); i++) {
    for (const r of readers) for (const p of r.pending.splice(0)) p.resolve();
    await new Promise((r) => setTimeout(r, 0));
  }
}

function cache(over: Partial<ChunkCacheOptions> = {}) {
  const ready: string[] = [];
  const progress = new Map<string, number>();
  const errors: string[] = [];
  const c = createChunkCache({
    chunkFrames: C,
    budgetBytes: Infinity,
    onReady: (id, k) => ready.push(`${id}:${k}`),
    onProgress: (id, f) => progress.set(id, f),
    onError: (id, e) => errors.push(`${id}: ${(e as Error).message}`),
    ...over,
  });
  return { c, ready, progress, errors };
}

const window = (id: string, from: number, to: number): ChunkWant[] => Array.from({ length: to - from }, (_, i) => ({ id, index: from + i, needAt: i * C }));

describe('createChunkCache', () => {
  it('reads the wanted chunks nearest first, across sources, and reports progress', async () => {
    const { c, ready, progress } = cache({ concurrency: 2 });
    const a = memoryReader(10 * C);
    const b = memoryReader(10 * C);
    c.setReader('a', a.reader);
    c.setReader('b', b.reader);
    c.want([...window('a', 0, 3), ...window('b', 4, 7)]);
    // Two at once: the two most urgent (a:0 and b:4, both needed now).
    expect([...a.reads, ...b.reads.map((k) => k + 100)]).toEqual([0, 104]);
    expect(progress.get('a')).toBe(0);
    await flush(a, b);
    expect(ready.sort()).toEqual(['a:0', 'a:1', 'a:2', 'b:4', 'b:5', 'b:6']);
    expect(progress.get('a')).toBe(1);
    expect(c.heldBytes).toBe(6 * C * 4);
    c.dispose();
  });

  it('reports progress at the playhead: a window moving on while its head is held stays at 1 (issue 17)', async () => {
    const { c, progress } = cache();
    const a = memoryReader(10 * C);
    c.setReader('a', a.reader);
    c.want(window('a', 0, 3));
    await flush(a);
    expect(progress.get('a')).toBe(1);
    const changes: number[] = [];
    const seen = cache({ onProgress: (_id, f) => changes.push(f) });
    seen.c.setReader('a', a.reader);
    seen.c.want(window('a', 0, 3));
    await flush(a);
    // Playing on: chunk 1 is now the playhead's, chunk 3 is new and not read yet.
    c.want(window('a', 1, 4));
    seen.c.want(window('a', 1, 4));
    expect(progress.get('a')).toBe(1);
    expect(changes).toEqual([0, 1]);
    // A seek to audio not read yet: not playable there until its chunk arrives.
    c.want(window('a', 7, 9));
    expect(progress.get('a')).toBe(0);
    await flush(a);
    expect(progress.get('a')).toBe(1);
    c.dispose();
    seen.c.dispose();
  });

  it('reads chunks not needed within a chunk\'s time with the rest of their aligned block, one request each', async () => {
    const slice = (b: TAnyAudioBuffer, offset: number, frames: number) => ({ start: (b as unknown as { start: number }).start + offset, length: frames }) as unknown as TAnyAudioBuffer;
    const { c, ready } = cache({ readFrames: 4 * C, slice });
    const a = memoryReader(10 * C + 5);
    c.setReader('a', a.reader);
    c.want(window('a', 0, 11));
    await flush(a);
    // Chunk 0 is needed now: alone. Then the rest of block 0, block 1, and what block 2 has (the stem ends in chunk 10).
    expect(a.reads).toEqual([0, 1, 4, 8]);
    expect(ready.sort((x, y) => Number(x.split(':')[1]) - Number(y.split(':')[1]))).toEqual(Array.from({ length: 11 }, (_, k) => `a:${k}`));
    for (let k = 0; k <= 10; k++) {
      const b = c.chunk('a', k) as unknown as { start: number; length: number };
      expect(b.start).toBe(k * C);
      expect(b.length).toBe(k === 10 ? 5 : C);
    }
    c.dispose();
  });

  it('evicts what is no longer wanted and aborts its reads', async () => {
    const { c } = cache();
    const a = memoryReader(100 * C);
    c.setReader('a', a.reader);
    c.want(window('a', 0, 4));
    await flush(a);
    expect(c.chunk('a', 0)).not.toBeNull();
    c.want(window('a', 50, 54)); // a seek far ahead
    expect(c.chunk('a', 0)).toBeNull();
    expect(c.heldBytes).toBe(0);
    c.want(window('a', 80, 82)); // and again, before those arrived: their reads are aborted
    await flush(a);
    expect(c.chunk('a', 50)).toBeNull();
    expect(c.chunk('a', 80)).not.toBeNull();
    expect(c.heldBytes).toBe(2 * C * 4);
    c.dispose();
  });

  it('holds at most the budget, most urgent first, but always one chunk per source', async () => {
    const budget = 10 * C * 4 * 2; // ten stereo chunks
    const { c, progress } = cache({ budgetBytes: budget });
    const readers = Array.from({ length: 8 }, () => memoryReader(100 * C, 2));
    readers.forEach((r, i) => c.setReader(`s${i}`, r.reader));
    c.want(readers.flatMap((_, i) => window(`s${i}`, 10, 14)));
    await flush(...readers);
    expect(c.heldBytes).toBeLessThanOrEqual(budget);
    // Every source has its first chunk (all needed now); the budget left went to the next most urgent.
    for (let i = 0; i < 8; i++) expect(c.chunk(`s${i}`, 10)).not.toBeNull();
    expect(readers.reduce((n, r) => n + r.reads.length, 0)).toBe(10);
    expect([...progress.values()].every((f) => f === 1)).toBe(true);
    // A budget smaller than one chunk per source still keeps one chunk each (and no more).
    const tiny = cache({ budgetBytes: 1 });
    readers.forEach((r, i) => tiny.c.setReader(`s${i}`, r.reader));
    tiny.c.want(readers.flatMap((_, i) => window(`s${i}`, 0, 3)));
    await flush(...readers);
    expect(tiny.c.heldBytes).toBe(8 * C * 4 * 2);
    c.dispose();
    tiny.c.dispose();
  });

  it('retries a failed read, reports the error, and resolves whenReady once it is done trying', async () => {
    const { c, errors, ready } = cache();
    const a = memoryReader(10 * C);
    c.setReader('a', a.reader);
    a.failNextReads(1);
    c.want(window('a', 0, 1));
    const settled = c.whenReady('a');
    await flush(a);
    await settled;
    expect(errors).toEqual(['a: network down']);
    expect(ready).toEqual([]);
    // Retried after a delay while still wanted.
    for (let waited = 0; a.pending.length === 0 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await flush(a);
    expect(ready).toEqual(['a:0']);
    expect(a.reads).toEqual([0, 0]);
    c.dispose();
  });

  it('never reads past the end of a stem, and the last chunk counts only its frames', async () => {
    const { c } = cache();
    const a = memoryReader(2 * C + 10);
    c.setReader('a', a.reader);
    c.want(window('a', 0, 5));
    await flush(a);
    expect(a.reads).toEqual([0, 1, 2]);
    expect(c.heldBytes).toBe((2 * C + 10) * 4);
    c.setReader('a', null);
    expect(c.heldBytes).toBe(0);
    c.dispose();
  });
});
