import { describe, expect, it } from 'vitest';
import { WritePacer } from './WritePacer.ts';

const options = { maxGapMs: 20, idleBelow: 0.3, fullAt: 0.8, smoothing: 1 }; // round figures, not the defaults

describe('WritePacer', () => {
  it('writes at once while the loop is idle and waits the longest when it is saturated', () => {
    const pacer = new WritePacer(options);
    expect(pacer.gapMs).toBe(0);
    pacer.observe(0.2);
    expect(pacer.gapMs).toBe(0);
    pacer.observe(0.3);
    expect(pacer.gapMs).toBe(0);
    pacer.observe(0.55);
    expect(pacer.gapMs).toBeCloseTo(10, 9);
    pacer.observe(0.8);
    expect(pacer.gapMs).toBeCloseTo(20, 9);
    pacer.observe(1);
    expect(pacer.gapMs).toBe(20);
  });

  it('follows a smoothed utilization, so one busy sample does not pace a quiet node', () => {
    const pacer = new WritePacer({ ...options, smoothing: 0.5 });
    pacer.observe(1);
    // Smoothed: 0.5, a fifth of the way from idle to full.
    expect(pacer.gapMs).toBeCloseTo(8, 9);
    for (let i = 0; i < 30; i++) pacer.observe(1);
    expect(pacer.gapMs).toBeCloseTo(20, 3);
    for (let i = 0; i < 30; i++) pacer.observe(0);
    expect(pacer.gapMs).toBe(0);
  });

  it('treats a sample outside 0..1 or not a number as the nearest bound or idle', () => {
    const pacer = new WritePacer(options);
    pacer.observe(Number.NaN);
    expect(pacer.gapMs).toBe(0);
    pacer.observe(7);
    expect(pacer.gapMs).toBe(20);
    pacer.observe(-3);
    expect(pacer.gapMs).toBe(0);
  });
});
