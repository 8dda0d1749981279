import { describe, expect, it } from 'vitest';
import { formatBars, formatTime } from './formatTime.ts';

describe('transport clock', () => {
  it('shows mm:ss.mmm, rounding to the millisecond', () => {
    expect(formatTime(0)).toBe('00:00.000');
    expect(formatTime(61.2345)).toBe('01:01.235');
    expect(formatTime(59.9996)).toBe('01:00.000');
    expect(formatTime(3725.5)).toBe('62:05.500');
  });

  it('never shows a negative or NaN time', () => {
    expect(formatTime(-3)).toBe('00:00.000');
    expect(formatTime(Number.NaN)).toBe('00:00.000');
  });

  it('shows bar.beat.sixteenth in 4/4 at the session tempo', () => {
    expect(formatBars(0, 120)).toBe('1.1.1');
    expect(formatBars(0.5, 120)).toBe('1.2.1'); // one beat at 120 BPM
    expect(formatBars(2, 120)).toBe('2.1.1'); // one bar
    expect(formatBars(2.125, 120)).toBe('2.1.2'); // a sixteenth later
    expect(formatBars(60, 90)).toBe('23.3.1'); // 90 beats = 22 bars + 2 beats
  });
});
