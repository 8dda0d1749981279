import { describe, expect, it } from 'vitest';
import { laneValueAt, type AutomationLane } from '@mixroom/shared/model';
import { RideThinner, type RideSample } from './RideThinner.ts';

/** Thins `samples` and returns the lane it leaves: settled points plus the open end. */
function thin(samples: readonly RideSample[], tolerance: number, step = false): AutomationLane {
  const thinner = new RideThinner(() => tolerance, step);
  const kept = samples.flatMap((s) => thinner.push(s));
  if (thinner.end) kept.push(thinner.end);
  return { points: kept.map((p, i) => ({ id: `p${i}`, time: p.time, value: p.value, curve: step ? ('step' as const) : ('linear' as const) })) };
}

/** Largest |thinned − recorded| at every sample and on a 1 ms grid between them (the recording read as a line). */
function maxDeviation(lane: AutomationLane, samples: readonly RideSample[], step = false): number {
  const raw: AutomationLane = { points: samples.map((s, i) => ({ id: `r${i}`, time: s.time, value: s.value, curve: step ? ('step' as const) : ('linear' as const) })) };
  let worst = 0;
  const end = samples[samples.length - 1]!.time;
  for (let t = samples[0]!.time; t <= end; t += 0.001) worst = Math.max(worst, Math.abs(laneValueAt(lane, t) - laneValueAt(raw, t)));
  for (const s of samples) worst = Math.max(worst, Math.abs(laneValueAt(lane, s.time) - s.value));
  return worst;
}

const round = (v: number, step: number) => Math.round(v / step) * step;

describe('RideThinner', () => {
  it('keeps a 4-minute fader ride within 0.1 dB of the recording with a fraction of its samples', () => {
    // A busy vocal ride sampled every 50 ms, on the fader's 0.1 dB grid: a slow swell, a faster
    // wobble, and a 6 dB drop at every 16-bar section (a step the ride must keep).
    const samples: RideSample[] = [];
    for (let k = 0; k <= 240 * 20; k++) {
      const t = k * 0.05;
      const section = Math.floor(t / 32) % 2 === 0 ? 0 : -6;
      samples.push({ time: t, value: round(-8 + 5 * Math.sin((2 * Math.PI * t) / 7) + 1.5 * Math.sin((2 * Math.PI * t) / 1.3) + section, 0.1) });
    }
    const lane = thin(samples, 0.1);
    const dev = maxDeviation(lane, samples);
    console.log(`4-min ride: ${samples.length} samples -> ${lane.points.length} points (${(lane.points.length / 240).toFixed(1)}/s); max deviation ${dev.toFixed(4)} dB`);
    expect(dev).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(lane.points.length).toBeLessThan(samples.length / 3);
    expect(lane.points.length).toBeLessThan(2048);
    // The section drops stay sharp: the lane is at the new level one sample after each.
    expect(laneValueAt(lane, 32.05)).toBeLessThan(laneValueAt(lane, 31.95) - 4);
  });

  it('turns a held value into two points and a straight move into its ends', () => {
    const held = Array.from({ length: 200 }, (_, k) => ({ time: k * 0.05, value: -3 }));
    expect(thin(held, 0.1).points.map((p) => [p.time, p.value])).toEqual([
      [0, -3],
      [199 * 0.05, -3],
    ]);
    const ramp = Array.from({ length: 101 }, (_, k) => ({ time: k * 0.05, value: round(-20 + k * 0.2, 0.1) }));
    const lane = thin(ramp, 0.1);
    expect(lane.points).toHaveLength(2);
    expect(maxDeviation(lane, ramp)).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it('never strays further than its tolerance on a noisy ride, and keeps more points for a tighter one', () => {
    // A deterministic jittery ride (a linear congruential sequence): the worst case for a line fit.
    let seed = 12345;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    let v = 0;
    const samples = Array.from({ length: 4000 }, (_, k) => ({ time: k * 0.05, value: round((v = Math.max(-1, Math.min(1, v + 0.02 * next()))), 0.01) }));
    const loose = thin(samples, 0.01);
    const tight = thin(samples, 0.002);
    expect(maxDeviation(loose, samples)).toBeLessThanOrEqual(0.01 + 1e-9);
    expect(maxDeviation(tight, samples)).toBeLessThanOrEqual(0.002 + 1e-9);
    expect(tight.points.length).toBeGreaterThan(loose.points.length);
  });

  it('a switch lane (held segments) keeps exactly the changes', () => {
    const samples = Array.from({ length: 100 }, (_, k) => ({ time: k * 0.05, value: k >= 30 && k < 60 ? 1 : 0 }));
    const lane = thin(samples, 0, true);
    expect(maxDeviation(lane, samples, true)).toBe(0);
    expect(lane.points.map((p) => p.value)).toEqual([0, 1, 0, 0]);
  });
});
