import { describe, expect, it } from 'vitest';
import { rulerStep, snapToBars } from './rulerStep.ts';

describe('snapToBars', () => {
  it('snaps to the beat when whole bars are labelled, and leaves time alone without a tempo', () => {
    // 120 BPM: a bar is 2 s; at 40 px/s a bar is 80 px, so bars are labelled and beats are 0.5 s.
    expect(rulerStep(40, 120)).toEqual({ step: 2, bars: true });
    expect(snapToBars(3.3, 40, 120)).toBe(3.5);
    expect(snapToBars(3.2, 40, 120)).toBe(3);
    expect(snapToBars(3.3, 40, null)).toBe(3.3);
    // Zoomed out (4 px/s): labels every 16 bars (32 s), so the grid is 4 bars (8 s).
    expect(rulerStep(4, 120)).toEqual({ step: 32, bars: true });
    expect(snapToBars(13, 4, 120)).toBe(16);
    expect(snapToBars(-1, 40, 120)).toBe(0);
  });
});
