import type { GestureScheduler } from '@mixroom/shared/ops';

/** Test-only: a manual clock whose timers fire, in order, as `advance` moves time past them (ms). */
export function manualClock(): GestureScheduler & { advance(ms: number): void } {
  let now = 0;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      timers.set(next, { at: now + Math.max(0, ms), fn });
      return next++;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | null = null;
        for (const e of timers) if (e[1].at <= until && (!due || e[1].at < due[1].at)) due = e;
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
  };
}

