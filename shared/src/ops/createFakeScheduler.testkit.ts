import type { GestureScheduler } from './createGesture.ts';

/** A manual clock for tests: timers fire only when `advance` moves time past them. */
export interface FakeScheduler extends GestureScheduler {
  advance(ms: number): void;
  pending(): number;
}

/** Test-only scheduler (not exported from the barrel). */
export function createFakeScheduler(start = 0): FakeScheduler {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | null = null;
        for (const entry of timers) if (entry[1].at <= until && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    pending: () => timers.size,
  };
}
