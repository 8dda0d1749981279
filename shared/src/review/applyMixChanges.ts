import { normalizeLane, type AutomationLanes } from '../model/AutomationLane.ts';
import { sendBusOfPath } from '../model/AutomationRecord.ts';
import { laneRangeOf } from '../model/laneRangeOf.ts';
import type { MixState } from '../model/MixState.ts';
import type { MixChange } from './MixChange.ts';

/** Result of {@link applyMixChanges}: the new state and what could not be applied. */
export interface AppliedMixChanges {
  state: MixState;
  applied: MixChange[];
  /** Changes whose track, bus, send or parameter no longer exists, or whole-entity changes. */
  skipped: MixChange[];
}

/**
 * Applies the `param` changes of a suggestion (for example a comment's "vocal -2 dB here")
 * to a copy of `state`, setting each parameter to the change's `after` value. Pure: the
 * caller writes the result to the live document with `applyMixState`, so the edit is one
 * undoable transaction. Added/removed entities are skipped: a suggestion nudges parameters,
 * it does not create or delete tracks. Automation changes set the proposed lane (read
 * through normalizeLane, so a hand-made one is clamped and sorted) or remove the lane; one
 * without its lane, or for a send the strip no longer has, is skipped.
 */
export function applyMixChanges(state: MixState, changes: readonly MixChange[]): AppliedMixChanges {
  const next = structuredClone(state);
  const applied: MixChange[] = [];
  const skipped: MixChange[] = [];
  for (const change of changes) {
    if (change.path[0] === 'automation' && change.path.length > 1) {
      (applyLane(next, change) ? applied : skipped).push(change);
      continue;
    }
    if (change.kind !== 'param' || change.path.length === 0) {
      skipped.push(change);
      continue;
    }
    const root = entityOf(next, change);
    if (root && setPath(root, change.path, change.after)) applied.push(change);
    else skipped.push(change);
  }
  return { state: next, applied, skipped };
}

/** Sets or removes the lane a change names; false when it cannot (see applyMixChanges). */
function applyLane(state: MixState, change: MixChange): boolean {
  if (change.scope === 'session') return false;
  const strip = entityOf(state, change) as { automation?: AutomationLanes; sends?: { bus: string }[] } | undefined;
  if (!strip) return false;
  const path = change.path.slice(1).join('.');
  const lanes: AutomationLanes = strip.automation ?? {};
  if (change.kind === 'removed') {
    if (!Object.hasOwn(lanes, path)) return false;
    const { [path]: _gone, ...rest } = lanes;
    strip.automation = rest;
    return true;
  }
  const range = laneRangeOf(change.scope, path);
  const bus = sendBusOfPath(path);
  if (!change.lane || range === null || (bus !== null && !strip.sends?.some((s) => s.bus === bus))) return false;
  const lane = normalizeLane(change.lane.points, range);
  if (lane.points.length === 0) return false;
  // Lane keys stay sorted, as the document reads them.
  strip.automation = Object.fromEntries(Object.entries({ ...lanes, [path]: lane }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return true;
}

function entityOf(state: MixState, change: MixChange): Record<string, unknown> | undefined {
  switch (change.scope) {
    case 'session':
      return state.session as unknown as Record<string, unknown>;
    case 'master':
      return state.master as unknown as Record<string, unknown>;
    case 'track':
      return state.tracks.find((t) => t.id === change.id) as unknown as Record<string, unknown> | undefined;
    case 'bus':
      return state.buses.find((b) => b.id === change.id) as unknown as Record<string, unknown> | undefined;
  }
}

/** Sets an existing leaf of the same JSON type; sends are addressed by bus id. */
function setPath(root: Record<string, unknown>, path: string[], value: unknown): boolean {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    if (Array.isArray(node)) {
      node = path[i - 1] === 'sends' ? node.find((s: { bus?: string }) => s.bus === key) : node[Number(key)];
    } else if (typeof node === 'object' && node !== null) {
      node = (node as Record<string, unknown>)[key];
    } else return false;
  }
  const last = path[path.length - 1] as string;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const target = node as Record<string, unknown>;
  if (!(last in target)) return false;
  const current = target[last];
  const sameType = current === null || value === null ? current === value || isNullable(last) : typeof current === typeof value;
  if (!sameType) return false;
  target[last] = value;
  return true;
}

function isNullable(key: string): boolean {
  return key === 'sidechain' || key === 'tempo';
}
