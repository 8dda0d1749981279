import { describe, expect, it } from 'vitest';
import { laneParamOf } from './laneParam.ts';
import { lanePositionToValue, stepLaneValue, valueToLanePosition } from './laneScale.ts';

describe('lane scale', () => {
  it('maps values to lane heights by the control law and back', () => {
    const fader = laneParamOf('track', 'gain')!;
    expect(fader.law).toBe('fader');
    expect(valueToLanePosition(fader, 0)).toBeCloseTo(0.75, 6);
    expect(lanePositionToValue(fader, 0.75)).toBe(0);
    expect(lanePositionToValue(fader, 0.5)).toBe(-10);
    const freq = laneParamOf('track', 'eq.bands.1.freq')!;
    expect(freq.law).toBe('log');
    const mid = Math.sqrt(freq.range.min * freq.range.max);
    expect(valueToLanePosition(freq, mid)).toBeCloseTo(0.5, 6);
    const pan = laneParamOf('bus', 'pan')!;
    expect(valueToLanePosition(pan, 0)).toBeCloseTo(0.5, 9);
    expect(lanePositionToValue(pan, 1)).toBe(1);
    const mute = laneParamOf('track', 'mute')!;
    expect(mute.switch).toBe(true);
    expect(lanePositionToValue(mute, 0.7)).toBe(1);
    expect(lanePositionToValue(mute, 0.2)).toBe(0);
  });

  it('knows which params carry lanes on which strip', () => {
    expect(laneParamOf('master', 'limiter.ceiling')).not.toBeNull();
    expect(laneParamOf('master', 'pan')).toBeNull();
    expect(laneParamOf('track', 'eq.hpf.freq')).toBeNull();
    expect(laneParamOf('track', 'sends.rev.level')!.range.unit).toBe('dB');
  });

  it('steps values from the keyboard, clamped to the range', () => {
    const fader = laneParamOf('track', 'gain')!;
    expect(stepLaneValue(fader, -3, 1, false)).toBe(-2.5);
    expect(stepLaneValue(fader, -3, -1, true)).toBe(-3.1);
    expect(stepLaneValue(fader, fader.range.max, 4, false)).toBe(fader.range.max);
    const freq = laneParamOf('track', 'eq.bands.0.freq')!;
    expect(stepLaneValue(freq, 1000, 6, false)).toBe(2000);
  });
});
