import type { Id, MixState, OutputTarget } from '../model/MixState.ts';

/** A send that survived routing repair, with its source strip. */
export interface ResolvedSend {
  from: { kind: 'track' | 'bus'; id: Id };
  bus: Id;
  pre: boolean;
  on: boolean;
  level: number;
}

/** Where every strip's output and sends really go after repair. */
export interface ResolvedRouting {
  /** Output target per track id and bus id. */
  output: Map<Id, OutputTarget>;
  /** Valid sends in (source order, bus id) order. */
  sends: ResolvedSend[];
}

/**
 * Repairs routing deterministically so the graph is always a DAG, whatever a merged
 * document says: every peer and the bake compute the same repair, so nobody rolls back
 * anything locally. Tracks may output to a group bus (else master) and send to aux buses.
 * Bus outputs are taken first, bus by bus in (order, id) order, then bus sends; an output
 * that would close a cycle goes to the master, a send that would is dropped. Aux buses
 * have no sends (by the model's construction), so any are ignored. buildMixPlan applies the
 * model's repairMixState first, so for plans these cuts never fire (a repaired graph is
 * already acyclic); they keep direct callers safe on an unrepaired state.
 */
export function resolveRouting(state: MixState): ResolvedRouting {
  const buses = new Map(state.buses.map((b) => [b.id, b]));
  const output = new Map<Id, OutputTarget>();
  const sends: ResolvedSend[] = [];
  // Directed bus -> bus edges accepted so far, for cycle checks.
  const next = new Map<Id, Set<Id>>();
  const reaches = (from: Id, to: Id): boolean => {
    const seen = new Set<Id>();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop() as Id;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const n of next.get(id) ?? []) stack.push(n);
    }
    return false;
  };
  const accept = (from: Id, to: Id): boolean => {
    if (from === to || reaches(to, from)) return false;
    let set = next.get(from);
    if (!set) next.set(from, (set = new Set()));
    set.add(to);
    return true;
  };

  for (const track of state.tracks) {
    const target = track.output === 'master' ? undefined : buses.get(track.output);
    output.set(track.id, target && target.kind === 'group' ? target.id : 'master');
  }
  for (const bus of state.buses) {
    const target = bus.output === 'master' ? undefined : buses.get(bus.output);
    output.set(bus.id, target && target.kind === 'group' && accept(bus.id, target.id) ? target.id : 'master');
  }
  for (const track of state.tracks) {
    for (const send of sortedSends(track.sends)) {
      if (buses.get(send.bus)?.kind !== 'aux') continue;
      sends.push({ from: { kind: 'track', id: track.id }, bus: send.bus, pre: send.pre, on: send.on, level: send.level });
    }
  }
  for (const bus of state.buses) {
    if (bus.kind !== 'group') continue;
    for (const send of sortedSends(bus.sends)) {
      if (buses.get(send.bus)?.kind !== 'aux' || !accept(bus.id, send.bus)) continue;
      sends.push({ from: { kind: 'bus', id: bus.id }, bus: send.bus, pre: send.pre, on: send.on, level: send.level });
    }
  }
  return { output, sends };
}

/** One send per bus, sorted by bus id (the model's invariant, re-established here). */
function sortedSends<S extends { bus: Id }>(list: readonly S[]): S[] {
  const byBus = new Map<Id, S>();
  for (const s of list) if (!byBus.has(s.bus)) byBus.set(s.bus, s);
  return [...byBus.values()].sort((a, b) => (a.bus < b.bus ? -1 : a.bus > b.bus ? 1 : 0));
}
