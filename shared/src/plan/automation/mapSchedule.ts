import { dbToGain } from '../../dsp/decibels.ts';
import { balanceGains } from '../../dsp/stereoPanner.ts';
import { MAX_SCHEDULE_EVENTS, SCHEDULE_TOLERANCE, type ParamEvent, type ParamSchedule } from './ParamSchedule.ts';

/**
 * A unit conversion a lane is not linear in, with what it takes to follow it with straight
 * segments: `steps(x0, x1)` is how many equal segments keep the chord within
 * SCHEDULE_TOLERANCE of the curve between x0 and x1 (from a bound on its curvature);
 * `breaks` are inputs where the curve has a kink (a segment is split there first).
 */
export interface ScheduleMapping {
  readonly map: (x: number) => number;
  readonly steps: (x0: number, x1: number) => number;
  readonly breaks: readonly number[];
}

const LN10_20 = Math.LN10 / 20;
const HALF_PI = Math.PI / 2;

/**
 * dB to linear gain. The chord of g = e^(c·dB) over Δ dB errs by at most g_max·(c·Δ)²/8,
 * so a segment is split into ceil(c·|Δ|·sqrt(g_max / (8·tol))) parts: a full sweep of a
 * fader (-100..+12 dB) takes about 450, a ±12 dB swing about 270.
 */
export const DB_TO_GAIN: ScheduleMapping = {
  map: dbToGain,
  steps: (a, b) => Math.ceil(LN10_20 * Math.abs(b - a) * Math.sqrt(dbToGain(Math.max(a, b)) / (8 * SCHEDULE_TOLERANCE))),
  breaks: [],
};

/** |d²/dpan² of cos or sin(pan·π/2 + k)| ≤ (π/2)², so the chord errs by at most (π/2·Δ)²/8. */
const panSteps = (a: number, b: number) => Math.ceil(HALF_PI * Math.abs(b - a) * Math.sqrt(1 / (8 * SCHEDULE_TOLERANCE)));

/** The balance law's left-channel gain of a pan (float32, as the browser's GainNode holds it). */
export const BALANCE_LEFT: ScheduleMapping = { map: (pan) => balanceGains(pan).gl, steps: panSteps, breaks: [0] };
/** The balance law's right-channel gain of a pan. */
export const BALANCE_RIGHT: ScheduleMapping = { map: (pan) => balanceGains(pan).gr, steps: panSteps, breaks: [0] };

/**
 * `schedule` through `mapping`, its ramps split into straight segments of the mapped unit
 * that stay within SCHEDULE_TOLERANCE of the exact curve (coarser, uniformly, if that would
 * take more than MAX_SCHEDULE_EVENTS). Pure: both engines realise the result.
 */
export function mapSchedule(schedule: ParamSchedule, mapping: ScheduleMapping): ParamSchedule {
  // Segments of the source schedule, split at the mapping's kinks.
  interface Piece {
    t0: number;
    x0: number;
    t1: number;
    x1: number;
  }
  const pieces: (Piece | ParamEvent)[] = [];
  let total = 0;
  for (let i = 0; i < schedule.length; i++) {
    const e = schedule[i]!;
    const prev = schedule[i - 1];
    if (!e.ramp || !prev) {
      pieces.push(e);
      total++;
      continue;
    }
    let t0 = prev.time;
    let x0 = prev.value;
    const cuts = mapping.breaks.filter((k) => (x0 < k && k < e.value) || (e.value < k && k < x0)).sort((a, b) => (x0 < e.value ? a - b : b - a));
    for (const k of [...cuts, e.value]) {
      const t1 = k === e.value ? e.time : prev.time + ((e.time - prev.time) * (k - prev.value)) / (e.value - prev.value);
      pieces.push({ t0, x0, t1, x1: k });
      total += Math.max(1, mapping.steps(x0, k));
      t0 = t1;
      x0 = k;
    }
  }
  const scale = total > MAX_SCHEDULE_EVENTS ? MAX_SCHEDULE_EVENTS / total : 1;
  const out: ParamEvent[] = [];
  for (const p of pieces) {
    if ('ramp' in p) {
      out.push({ time: p.time, value: mapping.map(p.value), ramp: p.ramp });
      continue;
    }
    const n = Math.max(1, Math.floor(mapping.steps(p.x0, p.x1) * scale));
    for (let k = 1; k <= n; k++) {
      const time = k === n ? p.t1 : p.t0 + ((p.t1 - p.t0) * k) / n;
      const x = k === n ? p.x1 : p.x0 + ((p.x1 - p.x0) * k) / n;
      out.push({ time, value: mapping.map(x), ramp: true });
    }
  }
  return out;
}

/**
 * `schedule` (a gain) multiplied by an open/closed switch (`gate`: step events of 0 and 1,
 * e.g. a strip's mute lane turned into "open"): 0 wherever the gate is closed, the
 * schedule wherever it is open, jumping where the gate does. Both start at time 0.
 */
export function gateSchedule(schedule: ParamSchedule, gate: ParamSchedule): ParamSchedule {
  const openAt = (e: ParamEvent | undefined) => (e !== undefined && e.value >= 0.5 ? 1 : 0);
  let open = openAt(gate[0]);
  const out: ParamEvent[] = [{ time: 0, value: open ? (schedule[0]?.value ?? 0) : 0, ramp: false }];
  let i = 1;
  let j = 1;
  while (i < schedule.length || j < gate.length) {
    const e = schedule[i];
    const s = gate[j];
    if (s !== undefined && (e === undefined || s.time <= e.time)) {
      j++;
      const next = openAt(s);
      if (next === open) continue;
      open = next;
      if (!open) {
        // Closing mid-ramp: the ramp runs on to just before the jump (a gate sits half a frame
        // from any frame, so 0.1 µs before it is still after the last open frame).
        if (e !== undefined && e.ramp) out.push({ time: s.time - 1e-7, value: scheduleLineAt(schedule, s.time - 1e-7), ramp: true });
        out.push({ time: s.time, value: 0, ramp: false });
      } else out.push({ time: s.time, value: scheduleLineAt(schedule, s.time), ramp: false });
      continue;
    }
    i++;
    if (open && e !== undefined && e.time > out[out.length - 1]!.time) out.push(e);
  }
  return out;
}

/** The schedule's straight line at `t` (no frame rounding): where a gate opens onto it. */
export function scheduleLineAt(schedule: ParamSchedule, t: number): number {
  let lo = 0;
  let hi = schedule.length - 1;
  if (hi < 0) return Number.NaN;
  if (t < schedule[0]!.time) return schedule[0]!.value;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (schedule[mid]!.time <= t) lo = mid;
    else hi = mid - 1;
  }
  const a = schedule[lo]!;
  const b = schedule[lo + 1];
  if (!b || !b.ramp) return a.value;
  return a.value + ((b.value - a.value) * (t - a.time)) / (b.time - a.time);
}
