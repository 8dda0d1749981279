import type { AutomationLane } from '../../model/AutomationLane.ts';
import type { ParamEvent, ParamSchedule } from './ParamSchedule.ts';

/**
 * A lane as AudioParam events in the lane's own unit, for a session at `sampleRate`: a
 * linear segment is a linear ramp, a step segment holds and jumps on the first frame at or
 * after the next point (as {@link laneValueAt} at `frame / sampleRate` does). A jump into
 * a linear segment starts its ramp from the same line extended back half a frame, so every
 * frame of it is the lane's value. Null for an empty lane.
 */
export function laneSchedule(lane: AutomationLane, sampleRate: number): ParamSchedule | null {
  const pts = lane.points;
  const first = pts[0];
  if (!first) return null;
  const events: ParamEvent[] = [{ time: 0, value: first.value, ramp: false }];
  // The last event sits on the line the next linear segment starts from.
  let anchored = first.time === 0;
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[i + 1]!;
    if (a.curve === 'linear') {
      if (!anchored) events.push({ time: a.time, value: a.value, ramp: false });
      events.push({ time: b.time, value: b.value, ramp: true });
      anchored = true;
      continue;
    }
    // Held until b, then a jump on b's frame (half a frame early: robust to rounding).
    const frame = Math.ceil(b.time * sampleRate - 1e-7);
    const time = Math.max((frame - 0.5) / sampleRate, events[events.length - 1]!.time + 0.25 / sampleRate);
    const c = pts[i + 2];
    const value = b.curve === 'linear' && c ? b.value + ((c.value - b.value) * (time - b.time)) / (c.time - b.time) : b.value;
    if (value !== events[events.length - 1]!.value || b.curve === 'linear') events.push({ time, value, ramp: false });
    anchored = true;
  }
  return events;
}
