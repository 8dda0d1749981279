import { AudioBuffer } from 'standardized-audio-context';
import type { TAnyAudioBuffer } from 'standardized-audio-context';
import type { StemReader } from './StemReader.ts';

/** A copy of frames [offset, offset + frames) of `buffer`, every channel. */
function sliceAudioBuffer(buffer: TAnyAudioBuffer, offset: number, frames: number): TAnyAudioBuffer {
  const out = new AudioBuffer({ length: frames, numberOfChannels: buffer.numberOfChannels, sampleRate: buffer.sampleRate });
  for (let c = 0; c < buffer.numberOfChannels; c++) out.copyToChannel(buffer.getChannelData(c).subarray(offset, offset + frames), c);
  return out as unknown as TAnyAudioBuffer;
}

/** One chunk the transport will need: chunk `index` of source `id`, first needed `needAt` frames from now. */
export interface ChunkWant {
  id: string;
  index: number;
  needAt: number;
}

export interface ChunkCacheOptions {
  /** Frames per chunk: chunk k holds stem frames [k * chunkFrames, (k + 1) * chunkFrames). */
  chunkFrames: number;
  /** Bytes of decoded PCM the cache may hold across all sources (Infinity: no limit). */
  budgetBytes: number;
  /** Reads at once, across all sources (a browser opens ~6 connections per host). */
  concurrency?: number;
  /**
   * Frames one read may cover, a multiple of `chunkFrames`: a chunk not needed within a
   * chunk's time is read together with the rest of its aligned block of this size (fewer,
   * larger requests while playing); a chunk needed sooner (a start) is read alone. Default
   * `chunkFrames`.
   */
  readFrames?: number;
  /** Frames [offset, offset + frames) of a read as a chunk's own buffer. Default: a copy into a new AudioBuffer. */
  slice?(buffer: TAnyAudioBuffer, offset: number, frames: number): TAnyAudioBuffer;
  onReady(id: string, index: number): void;
  /**
   * Whether a source's most urgent kept chunk (the one at the playhead) is ready: 1 when it
   * is (or its read failed and is being retried), 0 while it is read; on every change.
   */
  onProgress(id: string, fraction: number): void;
  /** A read failed; it is retried (with a growing delay) while the chunk is still wanted. */
  onError(id: string, error: unknown): void;
}

export interface ChunkCache {
  /** Sets (or clears, with null) the reader of a source; drops its chunks and reads in flight. */
  setReader(id: string, reader: StemReader | null): void;
  /** The chunk's buffer if it is held now. */
  chunk(id: string, index: number): TAnyAudioBuffer | null;
  /**
   * The chunks needed now. Most urgent first wins: the first chunk of each source is always
   * kept; the rest are kept while they fit the budget. Everything else is evicted, missing
   * kept chunks are read, most urgent first.
   */
  want(wants: readonly ChunkWant[]): void;
  /** Resolves once every chunk currently kept for `id` is ready (or its reads failed). */
  whenReady(id: string): Promise<void>;
  /** Bytes of PCM held now. */
  readonly heldBytes: number;
  dispose(): void;
}

interface SourceState {
  reader: StemReader;
  chunks: Map<number, TAnyAudioBuffer>;
  loading: Map<number, AbortController>;
  /** Chunk index -> time (ms) before which a failed read is not retried, and the delay used. */
  failed: Map<number, { retryAt: number; delay: number }>;
  kept: Set<number>;
  /** The most urgent kept chunk (null: none wanted). */
  head: number | null;
  waiters: (() => void)[];
  lastProgress: number;
}

const chunkKey = (id: string, index: number) => `${id}\u0000${index}`;

/**
 * Holds decoded chunks of every source within one memory budget. The transport tells it,
 * several times a second, which chunks playback needs next (in playback order, following
 * loops); it keeps those (as many as the budget allows), evicts the rest and reads the
 * missing ones, nearest first. A chunk that is evicted while an AudioBufferSourceNode
 * plays it stays alive through that node until it ends.
 */
export function createChunkCache(options: ChunkCacheOptions): ChunkCache {
  const C = options.chunkFrames;
  const limit = Math.max(1, options.concurrency ?? 6);
  const perRead = Math.max(1, Math.floor((options.readFrames ?? C) / C));
  const slice = options.slice ?? sliceAudioBuffer;
  const sources = new Map<string, SourceState>();
  let order: ChunkWant[] = [];
  let active = 0;
  let held = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const bytesOf = (s: SourceState, index: number) => Math.max(0, Math.min(C, s.reader.frames - index * C)) * s.reader.channels * 4;

  const progressOf = (s: SourceState): number => {
    if (s.kept.size === 0) return 1;
    let ready = 0;
    for (const k of s.kept) if (s.chunks.has(k) || s.failed.has(k)) ready++;
    return ready / s.kept.size;
  };

  const report = (id: string, s: SourceState) => {
    // Progress is about playing here, not about the window ahead filling up: a moving window
    // must not read as "loading" while the playhead's audio is in.
    const here = s.head === null || s.chunks.has(s.head) || s.failed.has(s.head) ? 1 : 0;
    if (here !== s.lastProgress) {
      s.lastProgress = here;
      options.onProgress(id, here);
    }
    if (s.waiters.length && progressOf(s) === 1) for (const w of s.waiters.splice(0)) w();
  };

  const evict = (s: SourceState, index: number) => {
    const b = s.chunks.get(index);
    if (b) {
      held -= bytesOf(s, index);
      s.chunks.delete(index);
    }
    s.loading.get(index)?.abort();
    s.loading.delete(index);
  };

  /** Chunk k of `s` is wanted, missing, not being read and not waiting for a retry. */
  const readable = (s: SourceState, k: number, now: number) => {
    if (!s.kept.has(k) || s.chunks.has(k) || s.loading.has(k) || k * C >= s.reader.frames) return false;
    const f = s.failed.get(k);
    return !f || f.retryAt <= now;
  };

  const pump = () => {
    if (disposed) return;
    const now = Date.now();
    let nextRetry = Infinity;
    for (const w of order) {
      if (active >= limit) break;
      const s = sources.get(w.id);
      if (!s || !s.kept.has(w.index) || s.chunks.has(w.index) || s.loading.has(w.index)) continue;
      const f = s.failed.get(w.index);
      if (f && f.retryAt > now) {
        nextRetry = Math.min(nextRetry, f.retryAt);
        continue;
      }
      // Not needed within a chunk's time: the rest of its aligned read block comes in the same request.
      let n = 1;
      if (w.needAt >= C) {
        const blockEnd = (Math.floor(w.index / perRead) + 1) * perRead;
        while (w.index + n < blockEnd && readable(s, w.index + n, now)) n++;
      }
      read(w.id, s, w.index, n);
    }
    if (nextRetry < Infinity && retryTimer === null) {
      retryTimer = setTimeout(() => {
        retryTimer = null;
        pump();
      }, nextRetry - now);
    }
  };

  /** One request for chunks [index, index + n), split into one buffer per chunk. */
  const read = (id: string, s: SourceState, index: number, n: number) => {
    const abort = new AbortController();
    const ks = Array.from({ length: n }, (_, j) => index + j);
    for (const k of ks) s.loading.set(k, abort);
    active++;
    const start = index * C;
    s.reader.read(start, Math.min(n * C, s.reader.frames - start), abort.signal).then(
      (buffer) => {
        active--;
        for (const k of ks) if (s.loading.get(k) === abort) s.loading.delete(k);
        if (abort.signal.aborted || disposed || sources.get(id) !== s) return pump();
        for (const k of ks) {
          if (!s.kept.has(k)) continue;
          const frames = Math.min(C, s.reader.frames - k * C);
          s.failed.delete(k);
          s.chunks.set(k, n === 1 ? buffer : slice(buffer, (k - index) * C, frames));
          held += bytesOf(s, k);
        }
        report(id, s);
        for (const k of ks) if (s.chunks.has(k)) options.onReady(id, k);
        pump();
      },
      (error: unknown) => {
        active--;
        for (const k of ks) if (s.loading.get(k) === abort) s.loading.delete(k);
        if (abort.signal.aborted || disposed || sources.get(id) !== s) return pump();
        for (const k of ks) {
          const delay = Math.min(30_000, (s.failed.get(k)?.delay ?? 500) * 2);
          s.failed.set(k, { retryAt: Date.now() + delay, delay });
        }
        options.onError(id, error);
        report(id, s);
        pump();
      },
    );
  };

  return {
    setReader(id, reader) {
      const old = sources.get(id);
      if (old && old.reader === reader) return;
      if (old) {
        for (const k of [...old.chunks.keys(), ...old.loading.keys()]) evict(old, k);
        for (const w of old.waiters.splice(0)) w();
        sources.delete(id);
      }
      if (reader) sources.set(id, { reader, chunks: new Map(), loading: new Map(), failed: new Map(), kept: new Set(), head: null, waiters: [], lastProgress: -1 });
    },
    chunk(id, index) {
      return sources.get(id)?.chunks.get(index) ?? null;
    },
    want(wants) {
      const sorted = [...wants].sort((a, b) => a.needAt - b.needAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.index - b.index));
      const seen = new Set<string>();
      const first = new Set<string>();
      const keep = new Map<string, Set<number>>();
      const heads = new Map<string, number>();
      let bytes = 0;
      order = [];
      for (const w of sorted) {
        const s = sources.get(w.id);
        if (!s || w.index < 0 || w.index * C >= s.reader.frames) continue;
        const key = chunkKey(w.id, w.index);
        if (seen.has(key)) continue;
        seen.add(key);
        const b = bytesOf(s, w.index);
        // The first chunk of every source is kept whatever the budget: each stem can play.
        if (first.has(w.id) && bytes + b > options.budgetBytes) continue;
        if (!first.has(w.id)) heads.set(w.id, w.index);
        first.add(w.id);
        bytes += b;
        order.push(w);
        let set = keep.get(w.id);
        if (!set) keep.set(w.id, (set = new Set()));
        set.add(w.index);
      }
      for (const [id, s] of sources) {
        s.kept = keep.get(id) ?? new Set();
        s.head = heads.get(id) ?? null;
        for (const k of [...s.chunks.keys(), ...s.loading.keys()]) if (!s.kept.has(k)) evict(s, k);
        for (const k of s.failed.keys()) if (!s.kept.has(k)) s.failed.delete(k);
        report(id, s);
      }
      pump();
    },
    whenReady(id) {
      const s = sources.get(id);
      if (!s || progressOf(s) === 1) return Promise.resolve();
      return new Promise((resolve) => s.waiters.push(resolve));
    },
    get heldBytes() {
      return held;
    },
    dispose() {
      disposed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      for (const s of sources.values()) {
        for (const a of s.loading.values()) a.abort();
        for (const w of s.waiters.splice(0)) w();
      }
      sources.clear();
      held = 0;
    },
  };
}
