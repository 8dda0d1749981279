import { AudioBufferSourceNode, ConstantSourceNode, isAnyOfflineAudioContext } from 'standardized-audio-context';
import type { IAudioBufferSourceNode, IAudioNode, IConstantSourceNode } from 'standardized-audio-context';
import { createChunkCache } from './createChunkCache.ts';
import type { ChunkWant } from './createChunkCache.ts';
import { KEEP_BEHIND_FRAMES, PREFETCH_AHEAD_FRAMES, PREFETCH_READ_FRAMES, startLeadFrames } from './MixEngine.ts';
import type { EngineContext, LoopRegion } from './MixEngine.ts';
import type { StemReader } from './StemReader.ts';
import type { PlaySegment } from './createAutomationScheduler.ts';

/**
 * One scheduled stretch of playback, in frames: song frame `off` plays at context frame
 * `when`, until context frame `until` (Infinity: to the end of the stems).
 */
interface Segment {
  id: number;
  when: number;
  off: number;
  until: number;
  /**
   * Song frame up to which this segment is committed: every awaited stem's chunks before it
   * are scheduled (a chunk is committed for all stems at once, never for some). Infinity
   * once no stem has audio left in it.
   */
  gate: number;
}

interface Source {
  target: IAudioNode<EngineContext>;
  reader: StemReader | null;
  /** Its stem is being opened: a reader is coming, and an audible source waits for it. */
  opening: boolean;
  /** Playing or scheduled buffer sources, by `${segment id}:${chunk index}`. */
  nodes: Map<string, IAudioBufferSourceNode<EngineContext>>;
}

/** What the transport is doing beyond playing or not. */
export interface PlaybackStatus {
  /**
   * Playing, but held at the playhead: the audio there is not ready for every awaited stem
   * (after Play, a seek, a loop jump or a slow read). The clock stands still meanwhile.
   */
  buffering: boolean;
  /** The sources being waited for while buffering (empty otherwise). */
  waitingFor: readonly string[];
}

export interface TransportOptions {
  /** Seconds between a play/seek and its first sample, so every source can start together. */
  startDelay: number;
  /** Frames per chunk (a power of two keeps chunk boundaries exact frame indices). */
  chunkFrames: number;
  /** Decoded PCM the live transport may hold across all stems, bytes. */
  budgetBytes: number;
  /** Seconds a buffering transport waits for a stem before it plays on without it (live only). */
  waitTimeout: number;
  onProgress(id: string, fraction: number): void;
  onError(id: string, error: unknown): void;
  /** Every change of {@link PlaybackStatus}. */
  onStatus(status: PlaybackStatus): void;
  /** Sources given up after `waitTimeout`: playback went on without them; each joins when its audio arrives. */
  onSkip(ids: readonly string[]): void;
  /**
   * The segments playing or scheduled (none when stopped) and the context frame up to which
   * audio is scheduled, after every change: automation follows the same timeline.
   */
  onTimeline?(segments: readonly PlaySegment[], horizon: number): void;
}

/** Plays every stem in lockstep: each segment starts all sources at one context frame. */
export interface EngineTransport {
  setSource(id: string, target: IAudioNode<EngineContext>): void;
  /** The source's stem is being opened: until `setReader`, an audible source holds playback. */
  setOpening(id: string): void;
  /** Sets a source's stem; resolves when the chunks it needs now are ready (offline: all of them). */
  setReader(id: string, reader: StemReader | null): Promise<void>;
  removeSource(id: string): void;
  /** The sources playback waits for (the audible ones); null: every source. */
  setAwaited(ids: ReadonlySet<string> | null): void;
  /**
   * Starts playing at context time `at` (default now + startDelay) if every awaited stem's
   * audio there is ready; otherwise buffers first, and starts every stem together once it
   * is. Returns the context time asked for.
   */
  play(at?: number): number;
  stop(): void;
  seek(position: number): void;
  setLoop(loop: LoopRegion | null): void;
  position(): number;
  readonly playing: boolean;
  status(): PlaybackStatus;
  /** Bytes of decoded PCM held by the chunk cache now. */
  readonly heldBytes: number;
  dispose(): void;
}

/** The hold's level: 2^-100 (-602 dBFS). See `hold` in createTransport. */
const HOLD_LEVEL = 2 ** -100;

/** How far ahead (seconds) live playback schedules buffer sources and loop iterations. */
const LIVE_HORIZON = 2;


/**
 * Sample-accurate chunked transport. Each stem is played from chunks of `chunkFrames`
 * frames (createChunkCache keeps a window of them around the playhead within a memory
 * budget): one AudioBufferSourceNode per chunk per segment, chunk k of a segment started at
 * the exact context frame its first sample is due, so consecutive chunks join without a
 * gap or overlap. Every time is a whole frame (Chromium interpolates sub-sample starts).
 * Loops are scheduled as segments, all stems restarted at the same frame each iteration:
 * unlike AudioBufferSourceNode.loop this stays in sync when stems have different lengths.
 *
 * Playback starts whole, as a DAW or a review player does: chunk k of a segment is
 * scheduled (committed) only once every awaited stem (the audible ones) has it, for all of
 * them at once; a start needs startLeadFrames of audio ready. When one is missing as its time comes (Play or a seek into audio not read
 * yet, a loop jump past the cache, a slow read), the segment ends at that chunk boundary and
 * the clock holds there ("buffering") until it arrives; then every stem resumes on one
 * frame. A stem still missing after `waitTimeout` is given up (reported): playback goes on
 * without it, and it joins mid-chunk, at the right song position, when its audio arrives,
 * as an inaudible (muted) stem does, and is waited for again once its audio is ahead of the
 * playhead. Live contexts top the schedule up from a timer;
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
  /** Sources playback waits for; null: all. */
  let awaitedIds: ReadonlySet<string> | null = null;
  /** Sources given up after the wait timeout, until they have their audio in time again. */
  const givenUp = new Set<string>();
  /** Why the last segment is not committed further: who is missing, and the context frame that audio is due. */
  let blocked: { ids: string[]; at: number } | null = null;
  let status: PlaybackStatus = { buffering: false, waitingFor: [] };
  /** performance.now() when the current buffering began. */
  let bufferingSince = 0;
  let statusTimer: ReturnType<typeof setTimeout> | null = null;

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
  /** Song frame at which a segment ends (Infinity: it plays to the end of the stems). */
  const songEnd = (seg: Segment) => (Number.isFinite(seg.until) ? seg.off + (seg.until - seg.when) : Infinity);

  const readFrames = Math.max(C, PREFETCH_READ_FRAMES);
  const lead = startLeadFrames(C);
  const cache = createChunkCache({
    chunkFrames: C,
    readFrames,
    budgetBytes: offline ? Infinity : options.budgetBytes,
    onReady: () => {
      if (playing) advance(fromFrame());
    },
    onProgress: options.onProgress,
    onError: options.onError,
  });

  const awaited = (id: string, src: Source) => (awaitedIds === null || awaitedIds.has(id)) && !givenUp.has(id) && (src.opening || src.reader !== null);

  /**
   * The awaited sources lacking chunk k (of a segment ending at song frame `end`), or null
   * when no source has audio there at all. A source still opening may have audio anywhere.
   */
  const missingAt = (k: number, end: number): string[] | null => {
    let any = false;
    const missing: string[] = [];
    for (const [id, src] of sources) {
      if (!src.opening && !(src.reader && k * C < Math.min(src.reader.frames, end))) continue;
      any = true;
      if (awaited(id, src) && (src.opening || !cache.chunk(id, k))) missing.push(id);
    }
    return any ? missing : null;
  };

  /**
   * Commits `seg` chunk by chunk up to the horizon `end`, each one only once every awaited
   * stem has it, none starting before context frame `from`. Audio that became ready too late
   * to start on time starts at `from` instead: the segment is cut at its gate and a new one
   * goes on from there (the clock held meanwhile). Returns the last segment, which may be
   * that new one; `blocked` says what holds it.
   */
  const commit = (first: Segment, from: number, end: number): Segment => {
    let seg = first;
    blocked = null;
    for (;;) {
      const endSong = songEnd(seg);
      if (seg.gate >= endSong) return seg;
      const at = seg.when + (seg.gate - seg.off);
      if (at >= end) return seg;
      const k = Math.floor(seg.gate / C);
      // A start needs startLeadFrames of audio ready, which may reach into the next chunks.
      const need = seg.gate === seg.off ? Math.min(endSong, seg.gate + lead) : seg.gate + 1;
      const missing = new Set<string>();
      let silent = false;
      for (let j = k; j * C < need; j++) {
        const m = missingAt(j, endSong);
        if (m === null) {
          silent = j === k;
          break;
        }
        for (const id of m) missing.add(id);
      }
      if (silent) {
        seg.gate = endSong; // no stem has audio from here on
        return seg;
      }
      if (missing.size > 0) {
        blocked = { ids: [...missing], at };
        return seg;
      }
      if (at < from) {
        if (seg.gate === seg.off) {
          // Nothing of it is scheduled yet: the whole segment starts later.
          const shift = from - at;
          seg.when += shift;
          if (Number.isFinite(seg.until)) seg.until += shift;
        } else {
          // It played up to its gate: it ends there, and the rest follows as a new segment.
          const next: Segment = { id: nextSegment++, when: from, off: seg.gate, until: Number.isFinite(seg.until) ? from + (endSong - seg.gate) : Infinity, gate: seg.gate };
          seg.until = at;
          segments.push(next);
          seg = next;
        }
        continue;
      }
      // A given-up stem is awaited again once it is ahead (this chunk and the two after it in):
      // one that only just catches up would hold playback again at the next boundary.
      for (const id of givenUp) {
        const reader = sources.get(id)?.reader;
        if (reader && [k, k + 1, k + 2].every((j) => j * C >= reader.frames || cache.chunk(id, j))) givenUp.delete(id);
      }
      seg.gate = Math.min((k + 1) * C, endSong);
    }
  };

  /** Schedules the ready chunks of `src` in the committed part of `seg`, none before frame `from`. */
  const schedule = (id: string, src: Source, seg: Segment, from: number) => {
    const reader = src.reader;
    if (!reader) return;
    const last = Math.min(reader.frames, songEnd(seg), seg.gate);
    const first = seg.off + Math.max(0, from - seg.when);
    if (first >= last) return;
    for (let k = Math.floor(first / C); k * C < last; k++) {
      const song = Math.max(k * C, first);
      const when = seg.when + (song - seg.off);
      const key = `${seg.id}:${k}`;
      if (src.nodes.has(key)) continue;
      const buffer = cache.chunk(id, k);
      if (!buffer) continue; // not awaited and not read yet: this stem joins when it arrives
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
    let lastEnd = Infinity;
    if (playing && segments.length) {
      const now = frameNow();
      for (const seg of segments) {
        if (left <= 0) break;
        const endSong = songEnd(seg);
        // Where the segment is now; a segment held at its gate resumes from there.
        const start = Math.min(seg.off + Math.max(0, Math.floor(now) - seg.when), seg.gate, endSong);
        const end = Math.min(endSong, start + left);
        if (end <= start) continue;
        out.push({ start, end, needAt: Math.max(0, seg.when + (start - seg.off) - now) });
        left -= end - start;
        lastEnd = end;
      }
    } else {
      const start = Math.round(stoppedAt * sr);
      out.push({ start, end: start + span, needAt: 0 });
      left = 0;
      lastEnd = start + span;
    }
    // Loop iterations not scheduled yet: one pass over the region at most covers all of it.
    if (loop && left > 0 && lastEnd >= loop.end) {
      const end = Math.min(loop.end, loop.start + left);
      const last = out[out.length - 1];
      out.push({ start: loop.start, end, needAt: last ? last.needAt + (last.end - last.start) : 0 });
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
      // The chunks covering PREFETCH_AHEAD_FRAMES of upcoming playback, in playback order, and KEEP_BEHIND_FRAMES
      // behind. The end is rounded up to a read block: the window grows a whole block (one request per stem) at a time.
      const here = upcoming(1)[0]?.start ?? 0;
      const span = Math.ceil((here + PREFETCH_AHEAD_FRAMES) / readFrames) * readFrames - here;
      const ranges = upcoming(span);
      const behind = { from: Math.floor(Math.max(0, here - KEEP_BEHIND_FRAMES) / C), to: Math.floor(here / C) };
      // While the playhead is in (or before) a loop, its whole region is kept as well if the
      // budget allows, after the window: each pass then plays from memory, not the network.
      const looping = loop !== null && Math.round(position() * sr) < loop.end;
      // While awaited stems are still opening, the others read only what a start needs: one
      // stem's window must not take the connections the rest need for their first audio.
      const opening = [...sources].some(([id, src]) => src.opening && awaited(id, src));
      const limit = opening ? lead : Infinity;
      for (const [id, src] of sources) {
        if (!src.reader) continue;
        for (const r of ranges) {
          for (let k = Math.floor(r.start / C); k * C < r.end; k++) {
            const needAt = r.needAt + Math.max(0, k * C - r.start);
            if (needAt < limit) wants.push({ id, index: k, needAt });
          }
        }
        if (opening) continue;
        if (looping) {
          for (let k = Math.floor(loop!.start / C); k * C < loop!.end; k++) wants.push({ id, index: k, needAt: span + Math.max(0, k * C - loop!.start) });
        }
        // Behind the playhead: a small step back plays at once. Least urgent of all, nearest first.
        for (let k = behind.to - 1; k >= behind.from; k--) wants.push({ id, index: k, needAt: Number.MAX_SAFE_INTEGER - k });
      }
    }
    cache.want(wants);
  };

  const emitStatus = (next: PlaybackStatus) => {
    if (next.buffering === status.buffering && next.waitingFor.join('\u0000') === status.waitingFor.join('\u0000')) return;
    if (next.buffering && !status.buffering) bufferingSince = performance.now();
    status = next;
    options.onStatus(status);
  };

  /**
   * Buffering: playing, and the audio due next cannot start on time. Also gives up the
   * stems still missing after `waitTimeout`, and wakes itself for a block not due yet.
   */
  const updateStatus = () => {
    if (statusTimer !== null) clearTimeout(statusTimer);
    statusTimer = null;
    const b = playing ? blocked : null;
    const late = b === null ? -1 : fromFrame() - b.at;
    emitStatus(b !== null && late >= 0 ? { buffering: true, waitingFor: [...b.ids].sort() } : { buffering: false, waitingFor: [] });
    if (b === null || offline) return;
    if (late < 0) {
      statusTimer = setTimeout(() => {
        statusTimer = null;
        if (playing) advance(fromFrame());
      }, (-late / sr) * 1000 + 1);
    } else if (performance.now() - bufferingSince >= options.waitTimeout * 1000) {
      for (const id of b.ids) givenUp.add(id);
      options.onSkip(b.ids);
      advance(fromFrame());
    }
  };

  /** Commits what is ready up to the horizon (adding loop iterations), schedules it, updates the status. */
  const advance = (from: number) => {
    const end = horizon();
    const now = frameNow();
    blocked = null;
    // Finished segments go; the last stays, even held past its end.
    segments = segments.filter((s, i) => s.until > now || i === segments.length - 1);
    let last = segments[segments.length - 1];
    while (last) {
      last = commit(last, from, end);
      if (last.gate < songEnd(last) || !loop || !Number.isFinite(last.until) || last.until >= end) break;
      const next: Segment = { id: nextSegment++, when: last.until, off: loop.start, until: last.until + (loop.end - loop.start), gate: loop.start };
      segments.push(next);
      last = next;
    }
    for (const [id, src] of sources) for (const seg of segments) schedule(id, src, seg, from);
    options.onTimeline?.(
      segments.map(({ id, when, off, until }) => ({ id, when, off, until })),
      end,
    );
    updateStatus();
  };

  /** advance(), and the chunk window for where playback now stands. */
  const extend = (from = fromFrame()) => {
    advance(from);
    refreshWants();
  };

  const startAt = (when: number, position: number) => {
    const off = Math.round(position * sr);
    const looping = loop !== null && off < loop.end;
    segments = [{ id: nextSegment++, when, off, until: looping ? when + (loop!.end - off) : Infinity, gate: off }];
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
    blocked = null;
    if (timer !== null) clearInterval(timer);
    timer = null;
    options.onTimeline?.([], 0);
  };

  /** Song position now: held at a segment's gate while buffering, at the next segment's start while it waits to begin. */
  const position = (): number => {
    if (!playing) return stoppedAt;
    const now = frameNow();
    let i = segments.length - 1;
    while (i > 0 && segments[i]!.when > now) i--;
    const seg = segments[i];
    if (!seg) return stoppedAt;
    if (seg.when >= now) return seg.off / sr;
    const end = Math.min(seg.gate, songEnd(seg));
    const song = seg.off + (now - seg.when);
    if (song < end) return song / sr;
    const next = segments[i + 1];
    return (next ? next.off : end) / sr;
  };

  const restart = (p: number) => {
    halt();
    startAt(fromFrame(), p);
  };

  const dropNodes = (src: Source) => {
    for (const n of src.nodes.values()) stopNode(n);
    src.nodes.clear();
  };

  return {
    setSource(id, target) {
      const existing = sources.get(id);
      if (existing && existing.target === target) return;
      if (existing) this.removeSource(id);
      sources.set(id, { target, reader: null, opening: false, nodes: new Map() });
      hold.connect(target);
    },
    setOpening(id) {
      const src = sources.get(id);
      if (!src) return;
      dropNodes(src);
      src.reader = null;
      src.opening = true;
      givenUp.delete(id);
      cache.setReader(id, null);
      refreshWants();
      if (playing) advance(fromFrame());
    },
    setReader(id, reader) {
      const src = sources.get(id);
      if (!src) return Promise.resolve();
      const opened = src.opening;
      src.opening = false;
      if (src.reader === reader) {
        if (opened) refreshWants();
        if (opened && playing) advance(fromFrame());
        return Promise.resolve();
      }
      dropNodes(src);
      src.reader = reader;
      givenUp.delete(id);
      cache.setReader(id, reader);
      refreshWants();
      // A stem that will not come no longer holds playback; a new one is scheduled as its chunks arrive.
      if (playing) advance(fromFrame());
      return reader ? cache.whenReady(id) : Promise.resolve();
    },
    removeSource(id) {
      const src = sources.get(id);
      if (!src) return;
      dropNodes(src);
      hold.disconnect(src.target);
      sources.delete(id);
      givenUp.delete(id);
      cache.setReader(id, null);
      if (playing) advance(fromFrame());
    },
    setAwaited(ids) {
      // Every plan change sets it (a fader drag 10 times a second): act only on a new set.
      if (ids === awaitedIds || (ids && awaitedIds && ids.size === awaitedIds.size && [...ids].every((id) => awaitedIds!.has(id)))) return;
      awaitedIds = ids;
      refreshWants();
      if (playing) advance(fromFrame());
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
      updateStatus();
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
    status: () => status,
    get heldBytes() {
      return cache.heldBytes;
    },
    dispose() {
      halt();
      if (statusTimer !== null) clearTimeout(statusTimer);
      statusTimer = null;
      hold.stop();
      hold.disconnect();
      sources.clear();
      cache.dispose();
      playing = false;
    },
  };
}
