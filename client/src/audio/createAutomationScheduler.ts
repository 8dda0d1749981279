import { PARAM_RAMP_SECONDS } from '@mixroom/shared/dsp';
import { scheduleLineAt } from '@mixroom/shared/plan';
import type { ParamSchedule } from '@mixroom/shared/plan';
import type { IAudioParam } from 'standardized-audio-context';
import type { EngineContext } from './MixEngine.ts';
import { releaseParam } from './rampParam.ts';

/** One scheduled stretch of playback (createTransport): song frame `off` plays at context frame `when`, until context frame `until`. */
export interface PlaySegment {
  readonly id: number;
  readonly when: number;
  readonly off: number;
  readonly until: number;
}

/**
 * Plays automation on native AudioParams. The transport reports its segments (play, seek,
 * loop passes); each automated param gets its ParamSchedule shifted to each segment's
 * context time, up to the transport's horizon and topped up as it advances:
 *
 * - A segment starts with `setValueAtTime` of the schedule's exact value half a frame
 *   before its first frame, so Play, a seek and a loop wrap land on the automated value at
 *   once, with no ramp from the old one. A loop pass ends on its own last value.
 * - A changed lane (a peer's edit) or a changed segment is rescheduled from now: the param
 *   is held where it is (cancelAndHoldAtTime) and ramps onto the new schedule over
 *   PARAM_RAMP_SECONDS, without a click.
 * - While a lane exists the param's static value is ignored (Read mode: the lane wins);
 *   `bind(param, null, value)` hands it back to its static value, ramped.
 */
export interface AutomationScheduler {
  /**
   * Puts `param` under `schedule` from context time `time` (null: back to the static `value`).
   * An unchanged schedule is left alone unless `force` (the param's events were replaced).
   */
  bind(param: IAudioParam, schedule: ParamSchedule | null, value: number, time: number, options?: BindOptions): void;
  /** True while `param` follows a schedule. */
  follows(param: IAudioParam): boolean;
  /** Forgets `param` (its node is gone) without touching it. */
  forget(param: IAudioParam): void;
  /** The transport's segments and how far ahead (context frame) it has scheduled audio. */
  timeline(segments: readonly PlaySegment[], horizon: number): void;
  /**
   * Every change of the segments (worklet kernels compute their automation from them), and
   * the current ones at once. Returns the disposer.
   */
  onTimeline(listener: (segments: readonly PlaySegment[]) => void): () => void;
  dispose(): void;
}

export interface BindOptions {
  /** Reschedule even an unchanged schedule (the param's events were replaced). */
  readonly force?: boolean;
  /**
   * Frames the node's input lags the stems (processors upstream): its lane plays that much
   * later, over the audio it was drawn on, as the bake plays it.
   */
  readonly delay?: number;
}

interface Bound {
  param: IAudioParam;
  schedule: ParamSchedule;
  delay: number;
  /** Per segment id: the index of the next event to schedule, 'start' before its start, 'done' once complete. */
  progress: Map<number, number | 'start' | 'done'>;
}

const sameSchedule = (a: ParamSchedule, b: ParamSchedule): boolean =>
  a === b || (a.length === b.length && a.every((e, i) => e.time === b[i]!.time && e.value === b[i]!.value && e.ramp === b[i]!.ramp));

/** Index of the first event after song time `t`. */
function firstAfter(s: ParamSchedule, t: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid]!.time <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createAutomationScheduler(context: EngineContext): AutomationScheduler {
  const sr = context.sampleRate;
  const bound = new Map<IAudioParam, Bound>();
  let segments: readonly PlaySegment[] = [];
  let horizon = 0;
  const listeners = new Set<(segments: readonly PlaySegment[]) => void>();

  /** A segment as a node `delay` frames downstream of the stems hears it. */
  const delayed = (seg: PlaySegment, delay: number): PlaySegment => (delay === 0 ? seg : { id: seg.id, when: seg.when + delay, off: seg.off, until: seg.until + delay });
  const songEnd = (seg: PlaySegment) => (Number.isFinite(seg.until) ? seg.off + (seg.until - seg.when) : Infinity);
  /** Context seconds of song second 0 in `seg`. */
  const origin = (seg: PlaySegment) => (seg.when - seg.off) / sr;
  /** Song seconds before which a segment's events go: 3/4 frame before its end (its last frame still follows the lane). */
  const clipOf = (seg: PlaySegment) => (songEnd(seg) - 0.75) / sr;

  /** Schedules `b` in `seg` up to the horizon: its start jump, then its events, then its clipped end. */
  const extend = (b: Bound, played: PlaySegment) => {
    const seg = delayed(played, b.delay);
    let state = b.progress.get(seg.id) ?? 'start';
    if (state === 'done') return;
    const s = b.schedule;
    const o = origin(seg);
    const clip = clipOf(seg);
    if (state === 'start') {
      if (seg.when > horizon) return;
      const t = (seg.off - 0.5) / sr;
      b.param.setValueAtTime(scheduleLineAt(s, t), Math.max(0, o + t));
      state = firstAfter(s, t);
    }
    // Up to the first event at or past the horizon: a ramp running at the horizon is in place.
    const until = (Math.min(horizon, seg.until) - seg.when + seg.off) / sr;
    let i = state;
    while (i < s.length && s[i]!.time < clip && (i === 0 || s[i - 1]!.time < until)) {
      const e = s[i++]!;
      if (e.ramp) b.param.linearRampToValueAtTime(e.value, o + e.time);
      else b.param.setValueAtTime(e.value, o + e.time);
    }
    if (Number.isFinite(seg.until) && horizon >= seg.until && (i >= s.length || s[i]!.time >= clip)) {
      // A ramp running through the end stops on the line at the end; the next segment jumps.
      if (i < s.length && s[i]!.ramp) b.param.linearRampToValueAtTime(scheduleLineAt(s, clip), o + clip);
      b.progress.set(seg.id, 'done');
      return;
    }
    b.progress.set(seg.id, i);
  };

  /**
   * Reschedules `b` from context frame `from` on: held there, ramped onto the schedule in the
   * segment playing then, every later segment started afresh.
   */
  const resume = (b: Bound, from: number) => {
    const t = from / sr;
    b.param.cancelAndHoldAtTime(t);
    b.progress.clear();
    for (const played of segments) {
      const seg = delayed(played, b.delay);
      if (seg.until <= from) b.progress.set(seg.id, 'done');
      else if (seg.when < from) {
        // Playing already: from where it is held onto the schedule's line.
        const o = origin(seg);
        const here = (from - seg.when + seg.off) / sr;
        const u = Math.min(here + PARAM_RAMP_SECONDS, clipOf(seg));
        if (u <= here) {
          b.progress.set(seg.id, 'done');
          continue;
        }
        b.param.linearRampToValueAtTime(scheduleLineAt(b.schedule, u), o + u);
        b.progress.set(seg.id, firstAfter(b.schedule, u));
      }
    }
    for (const seg of segments) extend(b, seg);
  };

  const nowFrame = () => Math.ceil(context.currentTime * sr);

  return {
    follows: (param) => bound.has(param),
    bind(param, schedule, value, time, { force = false, delay = 0 } = {}) {
      const b = bound.get(param);
      if (schedule === null) {
        if (!b) return;
        bound.delete(param);
        releaseParam(param, value, Math.max(context.currentTime, time));
        return;
      }
      if (b && !force && b.delay === delay && sameSchedule(b.schedule, schedule)) return;
      const next: Bound = { param, schedule, delay, progress: new Map() };
      bound.set(param, next);
      resume(next, Math.max(nowFrame(), Math.ceil(time * sr)));
    },
    forget(param) {
      bound.delete(param);
    },
    timeline(next, ahead) {
      const now = nowFrame();
      // Where the new timeline first differs from the one scheduled (a seek, a stop, a cut segment).
      let diff = Infinity;
      for (const o of segments) {
        if (o.until <= now) continue;
        const n = next.find((s) => s.id === o.id);
        if (!n) diff = Math.min(diff, o.when);
        else if (n.when !== o.when || n.off !== o.off) diff = Math.min(diff, o.when, n.when);
        else if (n.until !== o.until) diff = Math.min(diff, o.until, n.until);
      }
      const changed = next.length !== segments.length || next.some((n, i) => n.id !== segments[i]!.id || n.when !== segments[i]!.when || n.until !== segments[i]!.until);
      segments = next;
      horizon = ahead;
      if (changed) for (const l of listeners) l(segments);
      const live = new Set(segments.map((seg) => seg.id));
      for (const b of bound.values()) {
        // Finished loop passes are forgotten (a long loop session makes thousands).
        for (const id of b.progress.keys()) if (!live.has(id)) b.progress.delete(id);
        if (diff !== Infinity) resume(b, Math.max(now, diff));
        else for (const seg of segments) extend(b, seg);
      }
    },
    onTimeline(listener) {
      listeners.add(listener);
      listener(segments);
      return () => listeners.delete(listener);
    },
    dispose() {
      listeners.clear();
      bound.clear();
      segments = [];
    },
  };
}
