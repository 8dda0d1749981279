import { GESTURE_COMMIT_MS, type GestureScheduler } from '@mixroom/shared/ops';

export interface ThrottledCommit<T> {
  /** The newest state of the gesture; written at most every `commitMs`. */
  update(value: T): void;
  /** Writes the newest state now (if not yet written) and stops. Idempotent. */
  end(): void;
}

/**
 * The document side of a lane gesture (a point drag, a recorded ride): like a fader's
 * createGesture, the newest state reaches the document at most every GESTURE_COMMIT_MS and on
 * release, so peers see it move live while the document (and the undo stack) stays small.
 */
export function createThrottledCommit<T>(
  scheduler: GestureScheduler,
  write: (value: T) => void,
  commitMs: number = GESTURE_COMMIT_MS,
): ThrottledCommit<T> {
  let latest: { value: T } | null = null;
  let lastAt = -Infinity;
  let timer: unknown = null;
  let ended = false;
  const commit = (): void => {
    timer = null;
    lastAt = scheduler.now();
    const pending = latest;
    latest = null;
    if (pending) write(pending.value);
  };
  return {
    update(value) {
      if (ended) return;
      latest = { value };
      const wait = lastAt + commitMs - scheduler.now();
      if (wait <= 0) {
        if (timer !== null) scheduler.clearTimeout(timer);
        commit();
      } else if (timer === null) timer = scheduler.setTimeout(commit, wait);
    },
    end() {
      if (ended) return;
      ended = true;
      if (timer !== null) scheduler.clearTimeout(timer);
      commit();
    },
  };
}
