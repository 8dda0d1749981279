import { laneValueAt, type AutomationLane } from '../model/AutomationLane.ts';
import { sendBusOfPath } from '../model/AutomationRecord.ts';
import { formatDeltaDb, formatParamValue, groupLabel, type DescribeContext } from './describeMixChange.ts';

/** Lane params whose change reads as a level difference ("+2 dB"). */
const DB_LANES = new Set(['gain', 'level', 'drive', 'threshold', 'ceiling']);
/** Below this the two curves count as equal (values are stored exactly; this only absorbs interpolation rounding). */
const EPS = 1e-6;

/** `1:12`, `0:05`, `1:02:03`: a song position, whole seconds (rounded down). */
export function formatSongTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** What a lane at `path` is called on its strip: 'fader', 'send to Plate', 'EQ band 3 gain', 'limiter ceiling'. */
export function laneLabel(path: string, ctx: DescribeContext): string {
  const bus = sendBusOfPath(path);
  if (bus !== null) return `send to ${ctx.nameOf(bus)}`;
  const parts = path.split('.');
  if (parts[0] === 'eq' && parts[1] === 'bands') return `EQ band ${Number(parts[2]) + 1} ${parts[3]}`;
  if (parts.length === 1) return path === 'gain' ? 'fader' : path;
  return `${groupLabel(parts[0]!)} ${parts.slice(1).join(' ')}`;
}

/** How two versions of a parameter's automation differ, as heard: where, and by how much. */
export interface LaneDelta {
  /** Song seconds where the curves differ; `end` is Infinity when they differ to the end. */
  start: number;
  end: number;
  /** Largest raise and largest cut (after - before), in the parameter's unit; 0 when none. */
  up: number;
  down: number;
  /** The values before and after where they differ most. */
  before: number;
  after: number;
}

/**
 * Compares what a parameter plays in two mixes: its lane where it has one, its static value
 * otherwise (a lane overrides the static value). Both are piecewise linear or held between
 * the union of their breakpoints, so each segment is probed at its start, middle and end.
 * Null when both play the same curve.
 */
export function compareLanes(a: AutomationLane | undefined, staticA: number, b: AutomationLane | undefined, staticB: number): LaneDelta | null {
  const curve = (lane: AutomationLane | undefined, fallback: number) => (lane && lane.points.length > 0 ? (t: number) => laneValueAt(lane, t) : () => fallback);
  const fa = curve(a, staticA);
  const fb = curve(b, staticB);
  const times = [...new Set([...(a?.points ?? []), ...(b?.points ?? [])].map((p) => p.time))].filter((t) => t > 0).sort((x, y) => x - y);
  const bounds = [0, ...times, Number.POSITIVE_INFINITY];
  let delta: LaneDelta | null = null;
  let most = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const l = bounds[i]!;
    const r = bounds[i + 1]!;
    const probes = Number.isFinite(r) ? [l, (l + r) / 2, r - 1e-9 * Math.max(1, r)] : [l];
    for (const t of probes) {
      const before = fa(t);
      const after = fb(t);
      const d = after - before;
      if (!(Math.abs(d) > EPS)) continue;
      delta ??= { start: l, end: r, up: 0, down: 0, before, after };
      delta.end = r;
      delta.up = Math.max(delta.up, d);
      delta.down = Math.min(delta.down, d);
      if (Math.abs(d) > most) {
        most = Math.abs(d);
        delta.before = before;
        delta.after = after;
      }
    }
  }
  return delta;
}

/**
 * Words for a lane added, changed or removed, e.g. "fader: +2 dB from 1:12 to 1:40",
 * "send to Plate: automation added, -6 dB / +3 dB from 0:30 to the end", "mute: muted from
 * 2:00 to 2:04", "EQ band 2 freq: 400 Hz → 800 Hz from 0:10 to 0:20". `how` says whether the
 * lane is new, gone or edited.
 */
export function describeLaneChange(path: string, how: 'added' | 'removed' | 'changed', delta: LaneDelta | null, ctx: DescribeContext): string {
  const label = laneLabel(path, ctx);
  const prefix = how === 'added' ? 'automation added, ' : how === 'removed' ? 'automation removed, ' : '';
  if (!delta) return `${label}: ${how === 'changed' ? 'automation points edited, same curve' : `${prefix.slice(0, -2)}, same curve`}`;
  const key = path.split('.').at(-1) ?? '';
  let what: string;
  if (path === 'mute') what = delta.up > EPS && delta.down < -EPS ? 'mute changed' : delta.up > EPS ? 'muted' : 'unmuted';
  else if (DB_LANES.has(key)) what = [delta.up > EPS ? formatDeltaDb(delta.up) : '', delta.down < -EPS ? formatDeltaDb(delta.down) : ''].filter(Boolean).join(' / ');
  else what = `${formatParamValue(key, delta.before, ctx)} → ${formatParamValue(key, delta.after, ctx)}`;
  const end = Number.isFinite(delta.end) ? formatSongTime(delta.end) : 'the end';
  return `${label}: ${prefix}${what} from ${formatSongTime(delta.start)} to ${end}`;
}
