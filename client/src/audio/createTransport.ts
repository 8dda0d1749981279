import { AudioBufferSourceNode, ConstantSourceNode, isAnyOfflineAudioContext } from 'standardized-audio-context';
import type { IAudioBufferSourceNode, IAudioNode, IConstantSourceNode } from 'standardized-audio-context';
import { createChunkCache } from './createChunkCache.ts';
import type { ChunkWant } from './createChunkCache.ts';
import type { EngineContext, LoopRegion } from './MixEngine.ts';
import type { StemReader } from './StemReader.ts';

/**
 * One scheduled stretch of playback, in frames: song frame `off` plays at context frame
 * `when`, until context frame `until` (Infinity: to the end of the stems).
 */
interface Segment {
  id: number;
  when: number;
  off: number;
  until: number;
}

interface Source {
  target: IAudioNode<EngineContext>;
  reader: StemReader | null;
  /** Playing or scheduled buffer sources, by `${segment id}:${chunk index}`. */
  nodes: Map<string, IAudioBufferSourceNode<EngineContext>>;
}

export interface TransportOptions {
  /** Seconds between a play/seek and its first sample, so every source can start together. */
  startDelay: number;
  /** Frames per chunk (a power of two keeps chunk boundaries exact frame indices). */
  chunkFrames: number;
  /** Decoded PCM the live transport may hold across all stems, bytes. */
  budgetBytes: number;
  onProgress(id: string, fraction: number): void;
  onError(id: string, error: unknown): void;
}

/** Plays every stem in lockstep: each segment starts all sources at one context frame. */
export interface EngineTransport {
  setSource(id: string, target: IAudioNode<EngineContext>): void;
  /** Sets a source's stem; resolves when the chunks it needs now are ready (offline: all of them). */
  setReader(id: string, reader: StemReader | null): Promise<void>;
  removeSource(id: string): void;
  play(at?: number): number;
  stop(): void;
  seek(position: number): void;
  setLoop(loop: LoopRegion | null): void;
  position(): number;
  readonly playing: boolean;
  /** Bytes of decoded PCM held by the chunk cache now. */
  readonly heldBytes: number;
  dispose(): void;
}

/** The hold's level: 2^-100 (-602 dBFS). See `hold` in createTransport. */
const HOLD_LEVEL = 2 ** -100;

/** How far ahead (seconds) live playback schedules buffer sources and loop iterations. */
const LIVE_HORIZON = 2;
/** Live prefetch: the chunks that cover this many chunks' worth of upcoming playback, plus one behind (and a loop's region). */
const AHEAD_CHUNKS = 2;

/**
 * Sample-accurate chunked transport. Each stem is played from chunks of `chunkFrames`
 * frames (createChunkCache keeps a window of them around the playhead within a memory
 * budget): one AudioBufferSourceNode per chunk per segment, chunk k of a segment started at
 * the exact context frame its first sample is due, so consecutive chunks join without a
 * gap or overlap. Every time is a whole frame (Chromium interpolates sub-sample starts).
 * Loops are scheduled as segments, all stems restarted at the same frame each iteration:
 * unlike AudioBufferSourceNode.loop this stays in sync when stems have different lengths.
 * A chunk that is not ready when due is skipped for that stem only and joins, at the right
 * song position, as soon as it arrives. Live contexts top the schedule up from a timer;
 * offline contexts read every chunk first and schedule the whole render at once.
 */
export function createTransport(context: EngineContext, options: TransportOptions): EngineTransport {
  const sr = context.sampleRate;
  const C = options.chunkFrames;
  const offline = isAnyOfflineAudioContext(context);
  const sources = new Map<string, Source>();
  let segments: Segment[] = [];
  let nextSegment = 0;
  let loop: { start: number; end: number } | null = null;
  let stoppedAt = 0;
  let playing = false;
  let timer: ReturnType<typeof setInterval> | null = null;

  /**
   * One near-silent source (a constant 2^-100, -602 dBFS) feeding every target for the
   * transport's lifetime, live and offline alike, so a strip's input never goes inactive
   * or flagged silent when its stem ends, has not started, is not loaded or is absent:
   *
   * - Its native nodes keep computing as the bake does. Chromium stops a BiquadFilterNode
   *   whose input has been silent for its estimated tail time and outputs zeros from then
   *   on: a 40 Hz high-pass after a kick stem's end was cut at -57 dBFS while the bake let
   *   it ring out. A constant 0 would be flagged silent; 2^-100 is not, yet it vanishes in
   *   float32 from any sum with a sample above 2^-76 (-458 dBFS), so parity stays exact.
   * - A strip's chain is never rewired. Without an input, standardized-audio-context makes a
   *   strip "passive" and natively disconnects its chain (target -> trim -> first biquad
   *   ...), then reconnects it when a buffer source starts. Chromium can leave that biquad
   *   disabled for good: if a buffer source ends while it is still its target's only input
   *   (on a busy page a render quantum can pass between a seek's stop() and disconnect()),
   *   Chromium disables the chain down to the biquad, whose tail processing ends while the
   *   main thread is still busy, and reconnecting the biquad in that same task does not
   *   stop it from being disabled after the task. The track then stays silent while the
   *   others play (test/liveSeek.test.ts).
   *
   * The cost: a stopped strip's native nodes keep running, as they do while playing.
   */
  const hold: IConstantSourceNode<EngineContext> = new ConstantSourceNode(context, { offset: HOLD_LEVEL });
  hold.start();

  const frameNow = () => context.currentTime * sr;
  /** First frame a newly scheduled sample may start at. */
  const fromFrame = () => Math.ceil((context.currentTime + options.startDelay) * sr - 1e-6);
  const horizon = () => (offline ? (context as { length: number }).length : frameNow() + LIVE_HORIZON * sr);

  const cache = createChunkCache({
    chunkFrames: C,
    budgetBytes: offline ? Infinity : options.budgetBytes,
    onReady: (id) => {
      const src = sources.get(id);
      if (!playing || !src) return;
      const from = fromFrame();
      const end = horizon();
      for (const seg of segments) schedule(id, src, seg, from, end);
    },
    onProgress: options.onProgress,
    onError: options.onError,
  });

  /** Schedules the ready chunks of `src` in `seg` that start before `end`, none before frame `from`. */
  const schedule = (id: string, src: Source, seg: Segment, from: number, end: number) => {
    const reader = src.reader;
    if (!reader) return;
    const segEnd = Number.isFinite(seg.until) ? Math.min(reader.frames, seg.off + (seg.until - seg.when)) : reader.frames;
    const first = seg.off + Math.max(0, from - seg.when);
    for (let k = Math.floor(first / C); k * C < segEnd; k++) {
      const song = Math.max(k * C, first);
      const when = seg.when + (song - seg.off);
      if (when >= end) break;
      const key = `${seg.id}:${k}`;
      if (src.nodes.has(key)) continue;
      const buffer = cache.chunk(id, k);
      if (!buffer) continue; // not read yet: this stem is silent here until it arrives
      const node = new AudioBufferSourceNode(context, { buffer });
      node.connect(src.target);
      node.onended = () => {
        node.disconnect();
        if (src.nodes.get(key) === node) src.nodes.delete(key);
      };
      node.start(when / sr, (song - k * C) / sr);
      if (Number.isFinite(seg.until)) node.stop(seg.until / sr);
      src.nodes.set(key, node);
    }
  };

  /** Song frames [start, end) played `needAt` frames from now, in playback order, covering `span` frames. */
  const upcoming = (span: number): { start: number; end: number; needAt: number }[] => {
    const out: { start: number; end: number; needAt: number }[] = [];
    let left = span;
    let needAt = 0;
    let songEnd = Infinity;
    if (playing && segments.length) {
      const now = frameNow();
      for (const seg of segments) {
        if (seg.until <= now || left <= 0) continue;
        const start = seg.off + Math.max(0, Math.floor(now) - seg.when);
        const end = Number.isFinite(seg.until) ? Math.min(seg.off + (seg.until - seg.when), start + left) : start + left;
        needAt = Math.max(0, seg.when - now);
        out.push({ start, end, needAt });
        left -= end - start;
        needAt += end - start;
        songEnd = end;
      }
    } else {
      const start = Math.round(stoppedAt * sr);
      out.push({ start, end: start + span, needAt: 0 });
      left = 0;
      songEnd = start + span;
    }
    // Loop iterations not scheduled yet: one pass over the region at most covers all of it.
    if (loop && left > 0 && songEnd >= loop.end) {
      const end = Math.min(loop.end, loop.start + left);
      out.push({ start: loop.start, end, needAt });
    }
    return out;
  };

  const refreshWants = () => {
    const wants: ChunkWant[] = [];
    if (offline) {
      for (const [id, src] of sources) {
        if (!src.reader) continue;
        for (let k = 0; k * C < src.reader.frames; k++) wants.push({ id, index: k, needAt: k });
      }
    } else {
      const span = AHEAD_CHUNKS * C;
      const ranges = upcoming(span);
      const behind = Math.floor((ranges[0]?.start ?? 0) / C) - 1;
      // While the playhead is in (or before) a loop, its whole region is kept as well if the
      // budget allows, after the window: each pass then plays from memory, not the network.
      const looping = loop !== null && Math.round(position() * sr) < loop.end;
      for (const [id, src] of sources) {
        if (!src.reader) continue;
        for (const r of ranges) {
          for (let k = Math.floor(r.start / C); k * C < r.end; k++) wants.push({ id, index: k, needAt: r.needAt + Math.max(0, k * C - r.start) });
        }
        if (looping) {
          for (let k = Math.floor(loop!.start / C); k * C < loop!.end; k++) wants.push({ id, index: k, needAt: span + Math.max(0, k * C - loop!.start) });
        }
        // The chunk behind the playhead: a small step back plays at once. Least urgent of all.
        if (behind >= 0) wants.push({ id, index: behind, needAt: Number.MAX_SAFE_INTEGER });
      }
    }
    cache.want(wants);
  };

  /** Adds loop iterations up to the horizon and schedules ready chunks in it, none before frame `from`. */
  const extend = (from = fromFrame()) => {
    const end = horizon();
    let last = segments[segments.length - 1];
    while (last && loop && Number.isFinite(last.until) && last.until < end) {
      const next: Segment = { id: nextSegment++, when: last.until, off: loop.start, until: last.until + (loop.end - loop.start) };
      segments.push(next);
      last = next;
    }
    const now = frameNow();
    segments = segments.filter((s) => s.until > now);
    refreshWants();
    for (const [id, src] of sources) for (const seg of segments) schedule(id, src, seg, from, end);
  };

  const startAt = (when: number, position: number) => {
    const off = Math.round(position * sr);
    const looping = loop !== null && off < loop.end;
    segments = [{ id: nextSegment++, when, off, until: looping ? when + (loop!.end - off) : Infinity }];
    // The caller chose `when`: everything ready plays from there.
    extend(when);
    if (!offline && timer === null) timer = setInterval(() => extend(), 250);
  };

  const stopNode = (n: IAudioBufferSourceNode<EngineContext>) => {
    n.onended = null;
    n.stop();
    n.disconnect();
  };

  const halt = () => {
    for (const src of sources.values()) {
      for (const n of src.nodes.values()) stopNode(n);
      src.nodes.clear();
    }
    segments = [];
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  const position = (): number => {
    if (!playing) return stoppedAt;
    const now = frameNow();
    const seg = [...segments].reverse().find((s) => s.when <= now) ?? segments[0];
    if (!seg) return stoppedAt;
    return Math.max(seg.off, seg.off + (Math.min(now, seg.until) - seg.when)) / sr;
  };

  const restart = (p: number) => {
    halt();
    startAt(fromFrame(), p);
  };

  return {
    setSource(id, target) {
      const existing = sources.get(id);
      if (existing && existing.target === target) return;
      if (existing) this.removeSource(id);
      sources.set(id, { target, reader: null, nodes: new Map() });
      hold.connect(target);
    },
    setReader(id, reader) {
      const src = sources.get(id);
      if (!src || src.reader === reader) return Promise.resolve();
      for (const n of src.nodes.values()) stopNode(n);
      src.nodes.clear();
      src.reader = reader;
      cache.setReader(id, reader);
      if (!reader) return Promise.resolve();
      refreshWants();
      // Chunks already held (none for a new reader) are scheduled as onReady reports them.
      return cache.whenReady(id);
    },
    removeSource(id) {
      const src = sources.get(id);
      if (!src) return;
      for (const n of src.nodes.values()) stopNode(n);
      hold.disconnect(src.target);
      sources.delete(id);
      cache.setReader(id, null);
    },
    play(at) {
      if (playing) return (segments[0]?.when ?? frameNow()) / sr;
      const when = at === undefined ? fromFrame() : Math.ceil(at * sr - 1e-6);
      playing = true;
      startAt(when, stoppedAt);
      return when / sr;
    },
    stop() {
      if (!playing) return;
      stoppedAt = position();
      halt();
      playing = false;
      refreshWants();
    },
    seek(p) {
      const target = Math.max(0, p);
      if (playing) restart(target);
      else {
        stoppedAt = target;
        refreshWants();
      }
    },
    setLoop(next) {
      if (next && next.end > next.start) {
        const start = Math.round(next.start * sr);
        const end = Math.round(next.end * sr);
        loop = end > start ? { start, end } : null;
      } else loop = null;
      if (playing) restart(position());
      else refreshWants();
    },
    position,
    get playing() {
      return playing;
    },
    get heldBytes() {
      return cache.heldBytes;
    },
    dispose() {
      halt();
      hold.stop();
      hold.disconnect();
      sources.clear();
      cache.dispose();
      playing = false;
    },
  };
}
