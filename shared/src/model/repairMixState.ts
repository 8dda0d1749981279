import type { BusState, Id, MixState, TrackState } from './MixState.ts';
import { withoutSendLanes } from './AutomationRecord.ts';
import { findBusCycle } from './findBusCycle.ts';

/**
 * One write that restores an invariant. Fixes only ever remove a reference (route to
 * master, drop a send, clear a sidechain), never add one: so fixes made by two peers from
 * different states can be merged without creating a new violation, and repairing twice is
 * the same as repairing once.
 */
export type RepairFix =
  /** Route a track's or bus's output to the master. */
  | { kind: 'output-to-master'; owner: 'track' | 'bus'; id: Id }
  /** Delete the send from a track or bus to `bus`, and its level's lane. */
  | { kind: 'drop-send'; owner: 'track' | 'bus'; id: Id; bus: Id }
  /** Make a track's compressor listen to itself again. */
  | { kind: 'clear-sidechain'; id: Id }
  /** Make a track's gate listen to itself again. */
  | { kind: 'clear-gate-key'; id: Id };

export interface RepairResult {
  state: MixState;
  fixes: RepairFix[];
}

/**
 * Restores the routing invariants of a merged mix, as a pure function of the state (so every
 * peer holding the same state computes the same fixes):
 * - outputs go to the master or an existing group bus, never to an aux bus or to itself;
 * - sends go only to existing aux buses; aux buses have no sends;
 * - a sidechain (compressor or gate key) names an existing track other than its own;
 * - bus routing (outputs and sends) has no cycle. Concurrent edits can create one (A->B
 *   and B->A); it is cut at the bus with the greatest id on the cycle, which reroutes its
 *   output to master or drops its send.
 */
export function repairMixState(input: MixState): RepairResult {
  const fixes: RepairFix[] = [];
  const busById = new Map(input.buses.map((b) => [b.id, b]));
  const trackIds = new Set(input.tracks.map((t) => t.id));
  const isGroup = (id: Id) => busById.get(id)?.kind === 'group';
  const isAux = (id: Id) => busById.get(id)?.kind === 'aux';

  const tracks: TrackState[] = input.tracks.map((t) => {
    let next = t;
    if (t.output !== 'master' && !isGroup(t.output)) {
      fixes.push({ kind: 'output-to-master', owner: 'track', id: t.id });
      next = { ...next, output: 'master' };
    }
    const badSends = t.sends.filter((s) => !isAux(s.bus));
    if (badSends.length > 0) {
      for (const s of badSends) fixes.push({ kind: 'drop-send', owner: 'track', id: t.id, bus: s.bus });
      next = { ...next, sends: t.sends.filter((s) => isAux(s.bus)), automation: withoutSendLanes(t.automation, badSends.map((s) => s.bus)) };
    }
    const sc = t.comp.sidechain;
    if (sc !== null && (sc === t.id || !trackIds.has(sc))) {
      fixes.push({ kind: 'clear-sidechain', id: t.id });
      next = { ...next, comp: { ...next.comp, sidechain: null } };
    }
    const key = t.gate.sidechain;
    if (key !== null && (key === t.id || !trackIds.has(key))) {
      fixes.push({ kind: 'clear-gate-key', id: t.id });
      next = { ...next, gate: { ...next.gate, sidechain: null } };
    }
    return next;
  });

  let buses: BusState[] = input.buses.map((b) => {
    let next = b;
    if (b.output !== 'master' && (b.output === b.id || !isGroup(b.output))) {
      fixes.push({ kind: 'output-to-master', owner: 'bus', id: b.id });
      next = { ...next, output: 'master' };
    }
    const keep = b.kind === 'aux' ? [] : b.sends.filter((s) => isAux(s.bus));
    if (keep.length !== b.sends.length) {
      const dropped = b.sends.filter((s) => !keep.includes(s)).map((s) => s.bus);
      for (const bus of dropped) fixes.push({ kind: 'drop-send', owner: 'bus', id: b.id, bus });
      next = { ...next, sends: keep, automation: withoutSendLanes(b.automation, dropped) };
    }
    return next;
  });

  // Each pass removes one edge, so this terminates after at most (#edges) passes.
  for (let cycle = findBusCycle(buses); cycle !== null; cycle = findBusCycle(buses)) {
    const cut = cycle.reduce((a, e) => (e.from > a.from ? e : a));
    buses = buses.map((b) => {
      if (b.id !== cut.from) return b;
      if (cut.via === 'output') {
        fixes.push({ kind: 'output-to-master', owner: 'bus', id: b.id });
        return { ...b, output: 'master' };
      }
      fixes.push({ kind: 'drop-send', owner: 'bus', id: b.id, bus: cut.to });
      return { ...b, sends: b.sends.filter((s) => s.bus !== cut.to), automation: withoutSendLanes(b.automation, [cut.to]) };
    });
  }

  if (fixes.length === 0) return { state: input, fixes };
  return { state: { ...input, tracks, buses }, fixes };
}
