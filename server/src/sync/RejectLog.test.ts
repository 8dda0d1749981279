import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../log/Logger.ts';
import { RejectLog } from './RejectLog.ts';

/** A timer the test fires by hand. */
function manualTimer() {
  let pending: (() => void) | null = null;
  return {
    setTimeout: (fn: () => void) => {
      pending = fn;
      return {};
    },
    clearTimeout: () => {
      pending = null;
    },
    fire: () => {
      const fn = pending;
      pending = null;
      fn?.();
    },
  };
}

describe('RejectLog', () => {
  it('logs the first rejects of a window in full and the rest as one summary line', () => {
    const lines: Array<Record<string, unknown>> = [];
    const timer = manualTimer();
    const log = new RejectLog({
      logger: createJsonLogger('debug', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)),
      windowMs: 10_000,
      detailedPerWindow: 3,
      ...timer,
    });
    for (let i = 0; i < 10_000; i++) log.record({ roomId: `room-${i % 7}`, code: i % 2 === 0 ? 4400 : 4422, detail: `frame ${i}` });
    expect(lines.map((l) => l.msg)).toEqual(['closing sync connection', 'closing sync connection', 'closing sync connection']);
    expect(lines[0]).toMatchObject({ roomId: 'room-0', code: 4400, detail: 'frame 0' });
    timer.fire();
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatchObject({
      level: 'warn',
      msg: 'sync connections refused',
      logged: 3,
      suppressed: 9997,
      byCode: { 4400: 4998, 4422: 4999 },
      otherRooms: 2,
    });
    expect(Object.keys(lines[3]!.topRooms as object)).toHaveLength(5);

    // A new window starts with full lines again; dispose flushes its summary.
    for (let i = 0; i < 5; i++) log.record({ roomId: 'r', code: 4401 });
    expect(lines).toHaveLength(7);
    log.dispose();
    expect(lines[7]).toMatchObject({ msg: 'sync connections refused', suppressed: 2, byCode: { 4401: 2 } });
    log.dispose();
    expect(lines).toHaveLength(8);
  });
});
