import type { BusState, MixState, SendState, TrackState } from '../model/MixState.ts';
import { withAddedRecordParams } from '../model/withAddedParams.ts';
import type { AutomationLane, AutomationLanes } from '../model/AutomationLane.ts';
import { sendBusOfPath } from '../model/AutomationRecord.ts';
import { describeParamChange } from './describeMixChange.ts';
import { compareLanes, describeLaneChange } from './describeLaneChange.ts';
import type { DescribeContext } from './describeMixChange.ts';
import { SUGGESTION_LANE_POINTS_MAX, type MixChange, type MixChangeScope, type MixLeaf } from './MixChange.ts';

type Entity = Record<string, unknown>;

/** Lane points a change list may still carry (see SUGGESTION_LANE_POINTS_MAX). */
interface LaneBudget {
  points: number;
}

/** The strip a lane line is about. */
interface LaneStrip {
  scope: MixChangeScope;
  id: string | null;
  label: string;
  nameOf: (id: string) => string;
  budget: LaneBudget;
}

/**
 * Parameter-level differences from mix `a` to mix `b`, in a stable order: session, then
 * tracks and buses (in `b`'s order, removed ones last), then master. Tracks, buses and
 * sends are matched by id, never by position, so a reorder reads as "moved" and not as
 * every parameter changing.
 */
export function listMixChanges(before: MixState, after: MixState): MixChange[] {
  // A snapshot from before pan laws: its strips have the Web Audio law, not "no law".
  const a = withAddedRecordParams(before);
  const b = withAddedRecordParams(after);
  const names = new Map<string, string>();
  for (const e of [...a.tracks, ...a.buses, ...b.tracks, ...b.buses]) names.set(e.id, e.name);
  const nameOf = (id: string): string => names.get(id) ?? id;
  const out: MixChange[] = [];
  // Lanes ride along with their lines until this many points are carried (a comment body is small).
  const budget: LaneBudget = { points: SUGGESTION_LANE_POINTS_MAX };

  walkEntity(out, 'session', null, 'Session', a.session as unknown as Entity, b.session as unknown as Entity, nameOf, budget);
  diffList(out, 'track', a.tracks, b.tracks, nameOf, budget);
  diffList(out, 'bus', a.buses, b.buses, nameOf, budget);
  walkEntity(out, 'master', null, 'Master', a.master as unknown as Entity, b.master as unknown as Entity, nameOf, budget);
  return out;
}

/**
 * Human-readable lines describing how mix `b` differs from mix `a`, e.g.
 * `["Vocal: +1.5 dB", "Vocal: EQ band 3 -2 dB at 3.2 kHz"]`. Empty when the mixes are equal.
 */
export function diffMixStates(a: MixState, b: MixState): string[] {
  return listMixChanges(a, b).map((change) => change.text);
}

function diffList(
  out: MixChange[],
  scope: MixChangeScope,
  before: ReadonlyArray<TrackState | BusState>,
  after: ReadonlyArray<TrackState | BusState>,
  nameOf: (id: string) => string,
  budget: LaneBudget,
): void {
  const old = new Map(before.map((e) => [e.id, e]));
  const kindWord = scope === 'track' ? 'track' : 'bus';
  for (const entity of after) {
    const prev = old.get(entity.id);
    if (!prev) {
      out.push({ kind: 'added', scope, id: entity.id, path: [], before: null, after: null, text: `Added ${kindWord} ${entity.name}` });
      continue;
    }
    walkEntity(out, scope, entity.id, entity.name, prev as unknown as Entity, entity as unknown as Entity, nameOf, budget);
  }
  const kept = new Set(after.map((e) => e.id));
  for (const entity of before) {
    if (!kept.has(entity.id)) {
      out.push({ kind: 'removed', scope, id: entity.id, path: [], before: null, after: null, text: `Removed ${kindWord} ${entity.name}` });
    }
  }
}

function walkEntity(
  out: MixChange[],
  scope: MixChangeScope,
  id: string | null,
  label: string,
  a: Entity,
  b: Entity,
  nameOf: (id: string) => string,
  budget: LaneBudget,
): void {
  const push = (path: string[], before: MixLeaf, after: MixLeaf, ctx: DescribeContext): void => {
    out.push({ kind: 'param', scope, id, path, before, after, text: `${label}: ${describeParamChange(path, before, after, ctx)}` });
  };
  const visit = (path: string[], x: unknown, y: unknown): void => {
    const key = path[path.length - 1];
    if (key === 'id' || key === 'schemaVersion') return;
    if (key === 'automation' && path.length === 1) {
      diffLanes(out, { scope, id, label, nameOf, budget }, a, b, (x ?? {}) as AutomationLanes, (y ?? {}) as AutomationLanes);
      return;
    }
    if (key === 'sends' && Array.isArray(x) && Array.isArray(y)) {
      diffSends(out, scope, id, label, x as SendState[], y as SendState[], path, nameOf, visit);
      return;
    }
    if (isLeaf(x) && isLeaf(y)) {
      if (x === y) return;
      push(path, x, y, { nameOf, bandFreq: bandFreqAt(b, path) });
      return;
    }
    if (isObject(x) && isObject(y)) {
      if (key === 'stem' || key === 'effect') {
        // Replacing a stem or switching effect type is one change, not a list of leaves.
        if (key === 'effect' && x.type === y.type) {
          for (const k of unionKeys(x, y)) visit([...path, k], x[k], y[k]);
          return;
        }
        if (key === 'stem' && x.key === y.key) return;
      } else {
        for (const k of unionKeys(x, y)) visit([...path, k], x[k], y[k]);
        return;
      }
    }
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      x.forEach((item, i) => visit([...path, String(i)], item, y[i]));
      return;
    }
    // Shape changed (null <-> object, stem replaced, effect type switched): one summary line.
    push(path, summarise(key, x), summarise(key, y), { nameOf });
  };
  for (const k of unionKeys(a, b)) visit([k], a[k], b[k]);
}

function diffSends(
  out: MixChange[],
  scope: MixChangeScope,
  id: string | null,
  label: string,
  a: SendState[],
  b: SendState[],
  path: string[],
  nameOf: (id: string) => string,
  visit: (path: string[], x: unknown, y: unknown) => void,
): void {
  const old = new Map(a.map((s) => [s.bus, s]));
  for (const send of b) {
    const prev = old.get(send.bus);
    if (!prev) {
      out.push({ kind: 'added', scope, id, path: [...path, send.bus], before: null, after: null, text: `${label}: send to ${nameOf(send.bus)} added` });
      continue;
    }
    for (const k of ['level', 'pre', 'on'] as const) visit([...path, send.bus, k], prev[k], send[k]);
  }
  const kept = new Set(b.map((s) => s.bus));
  for (const send of a) {
    if (!kept.has(send.bus)) {
      out.push({ kind: 'removed', scope, id, path: [...path, send.bus], before: null, after: null, text: `${label}: send to ${nameOf(send.bus)} removed` });
    }
  }
}

/**
 * One line per lane added, removed or edited, in the strip's lane order: where the two
 * curves differ and by how much ("Lead Vocal fader: +2 dB from 1:12 to 1:40"). A lane is
 * compared with the static value it replaces.
 */
function diffLanes(out: MixChange[], strip: LaneStrip, a: Entity, b: Entity, before: AutomationLanes, after: AutomationLanes): void {
  const { scope, id, label, nameOf, budget } = strip;
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const path of paths) {
    const x: AutomationLane | undefined = before[path];
    const y: AutomationLane | undefined = after[path];
    if (x && y && sameLane(x, y)) continue;
    const how = !x ? 'added' : !y ? 'removed' : 'changed';
    const delta = compareLanes(x, staticValueAt(a, path, y), y, staticValueAt(b, path, x));
    const text = `${label} ${describeLaneChange(path, how, delta, { nameOf })}`;
    const where = ['automation', ...path.split('.')];
    // The proposed lane rides along (a suggestion applies it) while the budget lasts.
    const carried = y !== undefined && y.points.length <= budget.points;
    if (carried) budget.points -= y.points.length;
    const lane = carried ? { lane: { points: y.points.map((p) => ({ ...p })) } } : {};
    if (how === 'changed') out.push({ kind: 'param', scope, id, path: where, before: x!.points.length, after: y!.points.length, text, ...lane });
    else out.push({ kind: how, scope, id, path: where, before: null, after: null, text, ...lane });
  }
}

function sameLane(x: AutomationLane, y: AutomationLane): boolean {
  return x.points.length === y.points.length && x.points.every((p, i) => {
    const q = y.points[i]!;
    return p.id === q.id && p.time === q.time && p.value === q.value && p.curve === q.curve;
  });
}

/**
 * The static value a lane at `path` replaces on `entity` (mute as 0/1); where the strip has
 * none (a send added with its lane), the other side's lane's first value, so only its moves
 * count.
 */
function staticValueAt(entity: Entity, path: string, other: AutomationLane | undefined): number {
  const fallback = other?.points[0]?.value ?? 0;
  const bus = sendBusOfPath(path);
  let node: unknown = entity;
  if (bus !== null) {
    const sends = Array.isArray(entity.sends) ? (entity.sends as SendState[]) : [];
    node = sends.find((s) => s.bus === bus)?.level;
  } else {
    for (const key of path.split('.')) node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
  }
  if (typeof node === 'boolean') return node ? 1 : 0;
  return typeof node === 'number' && Number.isFinite(node) ? node : fallback;
}

function bandFreqAt(entity: Entity, path: string[]): number | undefined {
  if (path[0] !== 'eq' || path[1] !== 'bands') return undefined;
  const eq = entity.eq as { bands?: Array<{ freq?: unknown }> } | undefined;
  const freq = eq?.bands?.[Number(path[2])]?.freq;
  return typeof freq === 'number' ? freq : undefined;
}

function summarise(key: string | undefined, value: unknown): MixLeaf {
  if (isLeaf(value)) return value;
  if (isObject(value)) {
    if (key === 'stem' && typeof value.fileName === 'string') return value.fileName;
    if (typeof value.type === 'string') return value.type;
  }
  return Array.isArray(value) ? `${value.length} items` : 'changed';
}

function isLeaf(value: unknown): value is MixLeaf {
  return value === null || ['number', 'boolean', 'string'].includes(typeof value);
}

function isObject(value: unknown): value is Entity {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unionKeys(a: Entity, b: Entity): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}
