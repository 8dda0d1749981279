import { AudioBufferSourceNode, isAnyOfflineAudioContext } from 'standardized-audio-context';
import type { IAudioBufferSourceNode, IAudioNode, TAnyAudioBuffer } from 'standardized-audio-context';
import type { EngineContext, LoopRegion } from './MixEngine.ts';

/** One scheduled stretch of playback: song `offset` plays from context time `when` until `until`. */
interface Segment {
  when: number;
  offset: number;
  until: number;
}

interface Source {
  target: IAudioNode<EngineContext>;
  buffer: TAnyAudioBuffer | null;
  playing: Set<IAudioBufferSourceNode<EngineContext>>;
}

/** Plays every stem in lockstep: each segment starts all sources at one context time. */
export interface EngineTransport {
  setSource(id: string, target: IAudioNode<EngineContext>): void;
  setBuffer(id: string, buffer: TAnyAudioBuffer | null): void;
  removeSource(id: string): void;
  play(at?: number): number;
  stop(): void;
  seek(position: number): void;
  setLoop(loop: LoopRegion | null): void;
  position(): number;
  readonly playing: boolean;
  dispose(): void;
}

/** How far ahead (seconds) live playback schedules loop iterations. */
const LIVE_HORIZON = 2;

/**
 * Sample-accurate transport. Start times and offsets are rounded to whole frames so no
 * buffer source is resampled by a sub-sample start (Chromium interpolates those). Loops
 * are scheduled as segments, one new buffer source per stem per iteration, all started at
 * the same frame: unlike AudioBufferSourceNode.loop this stays in sync when stems have
 * different lengths. Live contexts top the schedule up from a timer; offline contexts
 * schedule the whole render at once.
 */
export function createTransport(context: EngineContext, startDelay: number): EngineTransport {
  const sr = context.sampleRate;
  const offline = isAnyOfflineAudioContext(context);
  const toFrame = (t: number) => Math.ceil(t * sr - 1e-6) / sr;
  const sources = new Map<string, Source>();
  let segments: Segment[] = [];
  let loop: LoopRegion | null = null;
  let stoppedAt = 0;
  let playing = false;
  let timer: ReturnType<typeof setInterval> | null = null;

  const horizon = () => (offline ? (context as { length: number }).length / sr : context.currentTime + LIVE_HORIZON);

  const startSource = (src: Source, seg: Segment, from: number) => {
    if (!src.buffer) return;
    const when = Math.max(seg.when, from);
    const offset = seg.offset + (when - seg.when);
    if (offset >= src.buffer.duration || when >= seg.until) return;
    const node = new AudioBufferSourceNode(context, { buffer: src.buffer });
    node.connect(src.target);
    node.onended = () => {
      node.disconnect();
      src.playing.delete(node);
    };
    node.start(when, offset);
    if (Number.isFinite(seg.until)) node.stop(seg.until);
    src.playing.add(node);
  };

  const extend = () => {
    const end = horizon();
    let last = segments[segments.length - 1];
    while (last && loop && Number.isFinite(last.until) && last.until < end) {
      const next: Segment = { when: last.until, offset: loop.start, until: toFrame(last.until + (loop.end - loop.start)) };
      segments.push(next);
      for (const src of sources.values()) startSource(src, next, next.when);
      last = next;
    }
    const now = context.currentTime;
    segments = segments.filter((s) => s.until > now);
  };

  const startAt = (when: number, position: number) => {
    const offset = Math.round(position * sr) / sr;
    const looping = loop !== null && offset < loop.end;
    const first: Segment = { when, offset, until: looping ? toFrame(when + (loop!.end - offset)) : Infinity };
    segments = [first];
    for (const src of sources.values()) startSource(src, first, when);
    extend();
    if (!offline && timer === null) timer = setInterval(extend, 250);
  };

  const halt = () => {
    for (const src of sources.values()) {
      for (const n of src.playing) {
        n.onended = null;
        n.stop();
        n.disconnect();
      }
      src.playing.clear();
    }
    segments = [];
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  const position = (): number => {
    if (!playing) return stoppedAt;
    const now = context.currentTime;
    const seg = [...segments].reverse().find((s) => s.when <= now) ?? segments[0];
    if (!seg) return stoppedAt;
    return Math.max(seg.offset, seg.offset + (Math.min(now, seg.until) - seg.when));
  };

  const restart = (p: number) => {
    halt();
    startAt(toFrame(context.currentTime + startDelay), p);
  };

  return {
    setSource(id, target) {
      const existing = sources.get(id);
      if (existing && existing.target === target) return;
      if (existing) this.removeSource(id);
      sources.set(id, { target, buffer: null, playing: new Set() });
    },
    setBuffer(id, buffer) {
      const src = sources.get(id);
      if (!src || src.buffer === buffer) return;
      for (const n of src.playing) n.stop();
      src.playing.clear();
      src.buffer = buffer;
      if (playing) {
        const from = toFrame(context.currentTime + startDelay);
        for (const seg of segments) startSource(src, seg, from);
      }
    },
    removeSource(id) {
      const src = sources.get(id);
      if (!src) return;
      for (const n of src.playing) {
        n.onended = null;
        n.stop();
        n.disconnect();
      }
      sources.delete(id);
    },
    play(at) {
      if (playing) return segments[0]?.when ?? context.currentTime;
      const when = toFrame(at ?? context.currentTime + startDelay);
      playing = true;
      startAt(when, stoppedAt);
      return when;
    },
    stop() {
      if (!playing) return;
      stoppedAt = position();
      halt();
      playing = false;
    },
    seek(p) {
      const target = Math.max(0, p);
      if (playing) restart(target);
      else stoppedAt = target;
    },
    setLoop(next) {
      loop = next && next.end > next.start ? { ...next } : null;
      if (playing) restart(position());
    },
    position,
    get playing() {
      return playing;
    },
    dispose() {
      halt();
      sources.clear();
      playing = false;
    },
  };
}
