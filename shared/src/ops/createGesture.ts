import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { PRESENCE_FIELDS } from '../protocol/Presence.ts';
import { MixOpError, isMixOpError } from './MixOpError.ts';

/** Timers and time, injected so tests run on a fake clock and the app on the real one. */
export interface GestureScheduler {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What a peer publishes in its awareness state (field GESTURE_FIELD) while dragging. */
export interface GestureAwarenessState {
  /** What moves, encoded with shared/protocol `encodeGestureTarget` (a strip, 'master', or a send). */
  target: string;
  /** The param path as the ops name it ('gain', 'eq.bands.1.freq', 'level'). */
  param: string;
  value: number;
  /**
   * A second parameter of the same target moving with the first (an EQ point: frequency
   * and gain), so peers see the pair together, never one half of a move.
   */
  also?: { param: string; value: number };
}

/** Awareness field holding the in-progress gesture (null when none); see shared/protocol Presence. */
export const GESTURE_FIELD = PRESENCE_FIELDS.gesture;

/** Default rates: awareness at display frame rate, document at most 10 writes a second. */
export const GESTURE_FRAME_MS = 1000 / 60;
export const GESTURE_COMMIT_MS = 100;

export interface CreateGestureOptions {
  doc: Y.Doc;
  awareness: Awareness;
  /** The local user's transaction origin (the UndoManager tracks it). */
  origin: TransactionOrigin;
  target: string;
  param: string;
  /** The param moving together with `param` (see GestureAwarenessState.also), if any. */
  alsoParam?: string;
  /**
   * Writes a value through an op, e.g. `(d, v, o) => setTrackParam(d, { trackId, param: 'gain', value: v }, o)`;
   * with `alsoParam`, both values in one transaction.
   */
  apply: (doc: Y.Doc, value: number, origin: TransactionOrigin, also: number | null) => void;
  scheduler: GestureScheduler;
  frameMs?: number;
  commitMs?: number;
  /**
   * Called when a commit is refused, typically because a peer deleted the strip mid-drag
   * (MixOpError 'unknown-track'); the gesture then stops committing. Default: ignore
   * MixOpErrors, rethrow anything else.
   */
  onError?: (error: unknown) => void;
}

export interface Gesture {
  /** The pointer moved: called as often as input events arrive (`also`: the value of `alsoParam`). */
  update(value: number, also?: number): void;
  /** Release: commits the final value, clears the awareness field. Idempotent; also the disposer. */
  end(): void;
}

/**
 * A continuous gesture (fader drag, knob turn). The in-progress value streams through
 * awareness at frame rate so peers see and hear the drag live, while the document gets at
 * most one write per `commitMs` plus the final value on release. Why: every write to a
 * Y.Map key leaves a tombstone, and writes alternating between two users cannot be merged
 * into one run, so a document written at input rate grows without bound (see
 * gestureDocSize.test.ts); throttling also makes one drag a few undo steps, not hundreds.
 */
export function createGesture(options: CreateGestureOptions): Gesture {
  const { doc, awareness, origin, target, param, apply, scheduler } = options;
  const frameMs = options.frameMs ?? GESTURE_FRAME_MS;
  const commitMs = options.commitMs ?? GESTURE_COMMIT_MS;
  const onError =
    options.onError ??
    ((error: unknown) => {
      if (!isMixOpError(error)) throw error;
    });

  const alsoParam = options.alsoParam ?? null;
  let latest: number | null = null;
  let latestAlso: number | null = null;
  let committed: number | null = null;
  let committedAlso: number | null = null;
  let published: number | null = null;
  let publishedAlso: number | null = null;
  let lastPublishAt = -Infinity;
  let lastCommitAt = -Infinity;
  let publishTimer: unknown = null;
  let commitTimer: unknown = null;
  let failed = false;
  let ended = false;

  const publish = () => {
    publishTimer = null;
    lastPublishAt = scheduler.now();
    if (latest === null || (latest === published && latestAlso === publishedAlso)) return;
    published = latest;
    publishedAlso = latestAlso;
    const state: GestureAwarenessState = { target, param, value: latest };
    if (alsoParam !== null && latestAlso !== null) state.also = { param: alsoParam, value: latestAlso };
    awareness.setLocalStateField(GESTURE_FIELD, state);
  };

  const commit = () => {
    commitTimer = null;
    lastCommitAt = scheduler.now();
    if (failed || latest === null || (latest === committed && latestAlso === committedAlso)) return;
    committed = latest;
    committedAlso = latestAlso;
    try {
      apply(doc, latest, origin, latestAlso);
    } catch (error) {
      failed = true;
      onError(error);
    }
  };

  const schedule = (lastAt: number, interval: number, timer: unknown, run: () => void, set: (h: unknown) => void) => {
    const wait = lastAt + interval - scheduler.now();
    if (wait <= 0) {
      if (timer !== null) scheduler.clearTimeout(timer);
      run();
    } else if (timer === null) {
      set(scheduler.setTimeout(run, wait));
    }
  };

  return {
    update(value, also) {
      if (ended) return;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new MixOpError('not-finite', `${param} must be a finite number, got ${value}`);
      }
      if (alsoParam !== null && also !== undefined) {
        if (typeof also !== 'number' || !Number.isFinite(also)) throw new MixOpError('not-finite', `${alsoParam} must be a finite number, got ${also}`);
        latestAlso = also;
      }
      latest = value;
      schedule(lastPublishAt, frameMs, publishTimer, publish, (h) => (publishTimer = h));
      schedule(lastCommitAt, commitMs, commitTimer, commit, (h) => (commitTimer = h));
    },
    end() {
      if (ended) return;
      ended = true;
      if (publishTimer !== null) scheduler.clearTimeout(publishTimer);
      if (commitTimer !== null) scheduler.clearTimeout(commitTimer);
      publishTimer = commitTimer = null;
      commit();
      if (awareness.getLocalState() !== null) awareness.setLocalStateField(GESTURE_FIELD, null);
    },
  };
}
