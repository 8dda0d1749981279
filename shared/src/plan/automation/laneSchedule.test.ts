import { describe, expect, it } from 'vitest';
import { laneValueAt, normalizeLane, type AutomationLane } from '../../model/AutomationLane.ts';
import { balanceGains } from '../../dsp/stereoPanner.ts';
import { dbToGain } from '../../dsp/decibels.ts';
import { laneSchedule } from './laneSchedule.ts';
import { BALANCE_LEFT, BALANCE_RIGHT, DB_TO_GAIN, gateSchedule, mapSchedule } from './mapSchedule.ts';
import { MAX_SCHEDULE_EVENTS, SCHEDULE_TOLERANCE } from './ParamSchedule.ts';
import { ScheduleCursor } from './ScheduleCursor.ts';

const SR = 48000;
const lane = (pts: [number, number, 'linear' | 'step'][], range: { min: number; max: number } | 'switch' = { min: -100, max: 12 }): AutomationLane =>
  normalizeLane(
    pts.map(([time, value, curve], i) => ({ id: `p${i}`, time, value, curve })),
    range === 'switch' ? 'switch' : { ...range, unit: 'dB' },
  );

/** Largest |schedule(frame) − expected(frame / SR)| over frames [0, frames). */
function maxError(schedule: ReturnType<typeof laneSchedule>, expected: (t: number) => number, frames: number): number {
  const cursor = new ScheduleCursor(schedule!, SR);
  const out = new Float32Array(4096);
  let worst = 0;
  for (let start = 0; start < frames; start += 4096) {
    const n = Math.min(4096, frames - start);
    cursor.fill(start, n, out);
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(out[k]! - expected((start + k) / SR)));
  }
  return worst;
}

describe('laneSchedule', () => {
  // Linear ramps, a step in the middle of the song, a jump straight into a ramp, a point at a non-frame time.
  const mixed = lane([
    [0.1, -6, 'linear'],
    [0.35, 3, 'step'],
    [0.6000123, -20, 'linear'],
    [0.8, 0, 'linear'],
    [0.9, -3, 'step'],
  ]);

  it('plays the lane frame by frame as laneValueAt does (to float32 precision)', () => {
    const err = maxError(laneSchedule(mixed, SR), (t) => laneValueAt(mixed, t), SR);
    expect(err).toBeLessThan(1e-5 * 20);
  });

  it('jumps on the first frame at or after a step point, never a frame early or late', () => {
    const cursor = new ScheduleCursor(laneSchedule(mixed, SR)!, SR);
    const jump = Math.ceil(0.6000123 * SR);
    expect(cursor.valueAt(jump - 1)).toBe(3);
    expect(cursor.valueAt(jump)).toBeCloseTo(laneValueAt(mixed, jump / SR), 4);
  });

  it('a dB lane as linear gain stays within SCHEDULE_TOLERANCE of the exact curve, fast moves included', () => {
    // ±12 dB in 20 ms, then a slow fade to the floor.
    const fast = lane([
      [0, 0, 'linear'],
      [0.5, 12, 'linear'],
      [0.52, -12, 'linear'],
      [0.54, 12, 'linear'],
      [1.5, -100, 'linear'],
    ]);
    const gain = mapSchedule(laneSchedule(fast, SR)!, DB_TO_GAIN);
    const err = maxError(gain, (t) => dbToGain(laneValueAt(fast, t)), 2 * SR);
    console.log(`dB lane as linear-gain segments: ${gain.length} events, max error ${(20 * Math.log10(err)).toFixed(1)} dB re full scale`);
    expect(err).toBeLessThanOrEqual(SCHEDULE_TOLERANCE * 1.05);
  });

  it('the balance law follows a pan lane through the kink at centre', () => {
    const pan = lane(
      [
        [0, -1, 'linear'],
        [0.5, 1, 'linear'],
      ],
      { min: -1, max: 1 },
    );
    const s = laneSchedule(pan, SR)!;
    const l = maxError(mapSchedule(s, BALANCE_LEFT), (t) => balanceGains(laneValueAt(pan, t)).gl, SR);
    const r = maxError(mapSchedule(s, BALANCE_RIGHT), (t) => balanceGains(laneValueAt(pan, t)).gr, SR);
    expect(Math.max(l, r)).toBeLessThanOrEqual(SCHEDULE_TOLERANCE * 1.05);
  });

  it('a mute lane gates a fader schedule to exact zeros between its points', () => {
    const fader = mapSchedule(laneSchedule(lane([[0, -12, 'linear'], [1, 6, 'linear']]), SR)!, DB_TO_GAIN);
    const mute = laneSchedule(lane([[0, 0, 'step'], [0.25, 1, 'step'], [0.5, 0, 'step']], 'switch'), SR)!;
    const open = mute.map((e) => ({ ...e, value: 1 - e.value }));
    const gated = gateSchedule(fader, open);
    const err = maxError(gated, (t) => (t >= 0.25 && t < 0.5 ? 0 : dbToGain(-12 + 18 * t)), SR);
    expect(err).toBeLessThanOrEqual(SCHEDULE_TOLERANCE * 1.05);
    const c = new ScheduleCursor(gated, SR);
    expect(c.valueAt(0.25 * SR - 1)).toBeGreaterThan(0.3);
    expect(c.valueAt(0.25 * SR)).toBe(0);
    expect(c.valueAt(0.5 * SR - 1)).toBe(0);
    expect(c.valueAt(0.5 * SR)).toBeCloseTo(dbToGain(-3), 4);
  });

  it('fill gives exactly valueAt frame by frame, for any block sizes, before the song start too', () => {
    const fast = lane([
      [0.01, -20, 'linear'],
      [0.05, 6, 'step'],
      [0.08, -3, 'linear'],
      [0.1, 12, 'linear'],
      [0.102, -12, 'linear'],
    ]);
    const s = mapSchedule(laneSchedule(fast, SR)!, DB_TO_GAIN);
    const ref = new ScheduleCursor(s, SR);
    const cursor = new ScheduleCursor(s, SR);
    const out = new Float32Array(1000);
    let at = -300;
    let seed = 7;
    while (at < 0.2 * SR) {
      seed = (seed * 16807) % 2147483647;
      const n = 1 + (seed % 999);
      cursor.fill(at, n, out);
      for (let k = 0; k < n; k++) expect(out[k]).toBe(ref.valueAt(at + k));
      at += n;
    }
  });

  it('a lane of thousands of full sweeps stays within MAX_SCHEDULE_EVENTS', () => {
    const pts: [number, number, 'linear'][] = Array.from({ length: 4000 }, (_, i) => [i * 0.01, i % 2 ? 12 : -100, 'linear']);
    const s = mapSchedule(laneSchedule(lane(pts), SR)!, DB_TO_GAIN);
    expect(s.length).toBeLessThanOrEqual(MAX_SCHEDULE_EVENTS + 4000);
    for (let i = 1; i < s.length; i++) expect(s[i]!.time).toBeGreaterThan(s[i - 1]!.time);
  });
});
