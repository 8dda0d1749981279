import { describe, expect, it } from 'vitest';
import { isAutomatable, laneValueAt, MAX_POINTS_PER_LANE, MIN_POINT_GAP_SECONDS, normalizeLane } from './AutomationLane.ts';

const DB = { min: -100, max: 12, unit: 'dB' } as const;
const pt = (id: string, time: number, value: number, curve: string = 'linear') => ({ id, time, value, curve });

describe('normalizeLane', () => {
  it('sorts by time, then id, and spaces equal times by the minimum gap without losing a point', () => {
    const lane = normalizeLane([pt('b', 1, -6), pt('a', 1, 0), pt('c', 0.5, 3), pt('d', 1.0005, -3)], DB);
    expect(lane.points.map((p) => p.id)).toEqual(['c', 'a', 'b', 'd']);
    const times = lane.points.map((p) => p.time);
    expect(times[0]).toBe(0.5);
    expect(times[1]).toBe(1);
    expect(times[2]).toBeCloseTo(1 + MIN_POINT_GAP_SECONDS, 12);
    expect(times[3]).toBeCloseTo(1 + 2 * MIN_POINT_GAP_SECONDS, 12);
  });

  it('is the same lane whatever order the points arrive in', () => {
    const pts = [pt('x', 2, 1), pt('y', 2, 2), pt('z', 1, 3), pt('w', 2.0001, 4)];
    const a = normalizeLane(pts, DB);
    const b = normalizeLane([...pts].reverse(), DB);
    expect(b).toEqual(a);
  });

  it('drops malformed points, clamps values and times, and makes switches 0/1 held', () => {
    const lane = normalizeLane([pt('a', Number.NaN, 0), pt('b', -5, 99), { id: 3, time: 1, value: 0, curve: 'linear' }, pt('c', 2, Number.POSITIVE_INFINITY)], DB);
    expect(lane.points).toEqual([{ id: 'b', time: 0, value: 12, curve: 'linear' }]);
    const mute = normalizeLane([pt('a', 0, 0.7, 'linear'), pt('b', 1, 0.2)], 'switch');
    expect(mute.points.map((p) => [p.value, p.curve])).toEqual([
      [1, 'step'],
      [0, 'step'],
    ]);
  });

  it('keeps at most MAX_POINTS_PER_LANE points', () => {
    const many = Array.from({ length: MAX_POINTS_PER_LANE + 10 }, (_, i) => pt(`p${i}`, i * 0.01, 0));
    expect(normalizeLane(many, DB).points).toHaveLength(MAX_POINTS_PER_LANE);
  });
});

describe('laneValueAt', () => {
  const lane = normalizeLane([pt('a', 1, -12), pt('b', 3, 0, 'step'), pt('c', 4, -6)], DB);
  it('holds the first value before and the last after', () => {
    expect(laneValueAt(lane, 0)).toBe(-12);
    expect(laneValueAt(lane, 10)).toBe(-6);
  });
  it('interpolates linear segments in the model unit and holds step segments', () => {
    expect(laneValueAt(lane, 2)).toBe(-6);
    expect(laneValueAt(lane, 1.5)).toBe(-9);
    expect(laneValueAt(lane, 3.999)).toBe(0);
    expect(laneValueAt(lane, 4)).toBe(-6);
  });
  it('is NaN for an empty lane', () => {
    expect(laneValueAt({ points: [] }, 1)).toBeNaN();
  });
});

describe('isAutomatable', () => {
  it('names the continuous controls an engineer rides and refuses switches and routing', () => {
    for (const p of ['gain', 'pan', 'mute', 'sends.b1.level', 'eq.bands.2.gain', 'eq.bands.0.freq', 'comp.threshold', 'sat.drive']) expect(isAutomatable('track', p)).toBe(true);
    for (const p of ['panLaw', 'comp.on', 'eq.bands.2.type', 'output', 'comp.sidechain', 'eq.bands.4.gain', 'solo']) expect(isAutomatable('track', p)).toBe(false);
    expect(isAutomatable('master', 'limiter.ceiling')).toBe(true);
    expect(isAutomatable('master', 'pan')).toBe(false);
    expect(isAutomatable('bus', 'sat.drive')).toBe(false);
  });
});
