import { describe, expect, it } from 'vitest';
import { extrapolatePlayhead, readPlayheadLoop } from './PresenceState.ts';

describe('peer playheads inside a loop', () => {
  it('wraps the extrapolated position the way the transport loops', () => {
    const loop = { start: 1, end: 2.5 };
    expect(extrapolatePlayhead(1.2, 0.5, loop)).toBeCloseTo(1.7, 12);
    expect(extrapolatePlayhead(2.0, 0.75, loop)).toBeCloseTo(1.25, 12);
    expect(extrapolatePlayhead(2.0, 0.75 + 3 * 1.5, loop)).toBeCloseTo(1.25, 9);
    // Before the loop start it plays into the loop and then wraps.
    expect(extrapolatePlayhead(0.5, 2.5, loop)).toBeCloseTo(1.5, 12);
    // Past the loop end (a seek beyond it) the transport does not loop.
    expect(extrapolatePlayhead(3, 2, loop)).toBe(5);
    expect(extrapolatePlayhead(2.0, 0.75, null)).toBe(2.75);
  });

  it('ignores malformed loops from untrusted peers', () => {
    const p = (loop: unknown) => ({ position: 0, playing: true, seq: 1, loop }) as never;
    expect(readPlayheadLoop(p({ start: 1, end: 2 }))).toEqual({ start: 1, end: 2 });
    expect(readPlayheadLoop(p(undefined))).toBeNull();
    expect(readPlayheadLoop(p({ start: 2, end: 1 }))).toBeNull();
    expect(readPlayheadLoop(p({ start: Number.NaN, end: 1 }))).toBeNull();
    expect(readPlayheadLoop(p({ start: -1, end: 1 }))).toBeNull();
    expect(readPlayheadLoop(p({ start: '1', end: 2 }))).toBeNull();
    expect(readPlayheadLoop(p({ start: 0, end: Number.POSITIVE_INFINITY }))).toBeNull();
  });
});
