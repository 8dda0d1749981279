import type { NumberRange } from './ParamSpec.ts';

/**
 * Automation: a strip parameter that moves over the song. A lane is a set of breakpoints
 * on the song timeline; each point holds its value until the next one, along its `curve`.
 * This file is the contract every side reads: the model stores lanes, the browser engine
 * and the bake play them through {@link laneValueAt}, the console draws them.
 *
 * In MixState each strip (tracks, buses, master) has `automation: AutomationLanes`, keyed by
 * the strip-relative param path the console and ParamAddress use ('gain', 'pan', 'mute',
 * 'sends.<busId>.level', 'eq.bands.2.gain', 'comp.threshold', ...). Stored flat per strip as
 *   automation: { [pointId]: { param, time, value, curve } }
 * each point one atomic leaf keyed by its stable id (see AutomationRecord.ts for why not one
 * map per lane): two users inserting points converge by key, a move replaces the point whole
 * (last writer wins, never a duplicate).
 */

/** How a segment goes from a point to the next: a straight line in the parameter's own unit, or a held value. */
export const AUTOMATION_CURVES = ['linear', 'step'] as const;
export type AutomationCurve = (typeof AUTOMATION_CURVES)[number];

export interface AutomationPoint {
  /** Stable id (createId), unique within its lane. */
  readonly id: string;
  /** Seconds from the song's start. */
  readonly time: number;
  /** In the parameter's model unit (dB, Hz, pan -1..1); booleans (mute) are 0 or 1. */
  readonly value: number;
  /** Shape of the segment from this point to the next (ignored on the last point). */
  readonly curve: AutomationCurve;
}

/** Points sorted by time, strictly increasing by at least {@link MIN_POINT_GAP_SECONDS}. */
export interface AutomationLane {
  readonly points: readonly AutomationPoint[];
}

/** A strip's lanes by param path. A param with no lane (or an empty one) plays its static value. */
export type AutomationLanes = Readonly<Record<string, AutomationLane>>;

/** Size limits: a lane holds at most this many points, a point sits within [0, MAX_AUTOMATION_SECONDS]. */
export const MAX_POINTS_PER_LANE = 4096;
export const MAX_AUTOMATION_SECONDS = 6 * 3600;
/** Two points of a lane are at least this far apart (1 ms, finer than any grid users edit on). */
export const MIN_POINT_GAP_SECONDS = 0.001;

/** The strip scopes that carry lanes. */
export type AutomationScope = 'track' | 'bus' | 'master';

const TRACK_BAND = /^eq\.bands\.[0-3]\.(gain|freq)$/;
const SEND_LEVEL = /^sends\.[^.]+\.level$/;

/**
 * Whether the parameter at `path` on a `scope` strip may carry a lane: the continuous
 * controls an engineer rides (faders, pan, mute, send levels, EQ band gain and frequency,
 * compressor threshold, saturation drive, the master limiter ceiling). Switches that change
 * the graph or a law (on/off, types, panLaw, routing) are not automatable.
 */
export function isAutomatable(scope: AutomationScope, path: string): boolean {
  switch (scope) {
    case 'master':
      return path === 'gain' || path === 'limiter.ceiling';
    case 'bus':
      return path === 'gain' || path === 'pan' || path === 'mute' || SEND_LEVEL.test(path);
    case 'track':
      return (
        path === 'gain' || path === 'pan' || path === 'mute' || SEND_LEVEL.test(path) || TRACK_BAND.test(path) || path === 'comp.threshold' || path === 'sat.drive'
      );
  }
}

/** Boolean params (mute) are automated as 0/1 with held segments. */
export const isSwitchPath = (path: string): boolean => path === 'mute';

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What a stored point may look like before it is checked. */
export interface RawAutomationPoint {
  readonly id: unknown;
  readonly time: unknown;
  readonly value: unknown;
  readonly curve: unknown;
}

/**
 * The valid lane every peer reads from whatever points the document holds: malformed points
 * dropped, times clamped to [0, MAX_AUTOMATION_SECONDS], values clamped to `range` (switches
 * to 0/1 with held segments), sorted by (time, id), and a point closer than
 * MIN_POINT_GAP_SECONDS to the previous one pushed later to the gap. A pure function of the
 * point set, so peers that merged the same concurrent inserts and moves read the same lane:
 * no duplicate times and no lost points. Beyond MAX_POINTS_PER_LANE the latest are dropped.
 */
export function normalizeLane(raw: Iterable<RawAutomationPoint>, range: NumberRange | 'switch'): AutomationLane {
  const points: AutomationPoint[] = [];
  for (const p of raw) {
    if (typeof p.id !== 'string' || p.id.length === 0 || typeof p.time !== 'number' || !Number.isFinite(p.time)) continue;
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) continue;
    const time = Math.min(MAX_AUTOMATION_SECONDS, Math.max(0, p.time));
    const value = range === 'switch' ? (p.value >= 0.5 ? 1 : 0) : Math.min(range.max, Math.max(range.min, p.value));
    const curve: AutomationCurve = range === 'switch' || p.curve === 'step' ? 'step' : 'linear';
    points.push({ id: p.id, time, value, curve });
  }
  points.sort((a, b) => a.time - b.time || compareIds(a.id, b.id));
  const out: AutomationPoint[] = [];
  for (const p of points) {
    const prev = out[out.length - 1];
    const time = prev && p.time < prev.time + MIN_POINT_GAP_SECONDS ? prev.time + MIN_POINT_GAP_SECONDS : p.time;
    if (time > MAX_AUTOMATION_SECONDS || out.length === MAX_POINTS_PER_LANE) break;
    out.push(time === p.time ? p : { ...p, time });
  }
  return { points: out };
}

/** Index of the last point at or before `time` (-1 when `time` is before the first point). */
export function pointIndexAt(lane: AutomationLane, time: number): number {
  const pts = lane.points;
  let lo = 0;
  let hi = pts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((pts[mid] as AutomationPoint).time <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The lane's value at `time` seconds: the first point's value before it, the last point's
 * after it; between two points a straight line in the model unit ('linear') or the earlier
 * value held ('step'). Both engines evaluate a sample's time as `frame / sampleRate` through
 * this function, so the browser and the bake play the same curve. NaN for an empty lane.
 */
export function laneValueAt(lane: AutomationLane, time: number): number {
  const pts = lane.points;
  const first = pts[0];
  if (!first) return Number.NaN;
  const i = pointIndexAt(lane, time);
  if (i < 0) return first.value;
  const a = pts[i] as AutomationPoint;
  const b = pts[i + 1];
  if (!b || a.curve === 'step') return a.value;
  return a.value + ((b.value - a.value) * (time - a.time)) / (b.time - a.time);
}
