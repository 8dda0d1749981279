import type { BusState, Id } from './MixState.ts';

/** One routing edge between buses: a bus's output, or one of its sends. */
export interface BusEdge {
  from: Id;
  to: Id;
  via: 'output' | 'send';
}

/** The routing edges leaving `bus` that land on another bus in `byId`, in a fixed order. */
export function busEdges(bus: BusState, byId: ReadonlyMap<Id, BusState>): BusEdge[] {
  const edges: BusEdge[] = [];
  if (bus.output !== 'master' && byId.has(bus.output)) edges.push({ from: bus.id, to: bus.output, via: 'output' });
  for (const s of bus.sends) if (byId.has(s.bus)) edges.push({ from: bus.id, to: s.bus, via: 'send' });
  return edges;
}

/**
 * Finds one routing cycle among buses (outputs and sends), or null. Deterministic: buses
 * are visited in id order and edges in busEdges order, so every peer holding the same state
 * finds the same cycle. Returns the cycle's edges in path order.
 */
export function findBusCycle(buses: readonly BusState[]): BusEdge[] | null {
  const byId = new Map(buses.map((b) => [b.id, b]));
  const ids = [...byId.keys()].sort();
  const state = new Map<Id, 'visiting' | 'done'>();
  const path: BusEdge[] = [];

  const visit = (id: Id): BusEdge[] | null => {
    state.set(id, 'visiting');
    const bus = byId.get(id);
    for (const edge of bus ? busEdges(bus, byId) : []) {
      const s = state.get(edge.to);
      if (s === 'visiting') {
        // Back edge: the cycle is the part of the path from edge.to to here, plus this edge.
        const start = path.findIndex((e) => e.from === edge.to);
        return [...(start < 0 ? [] : path.slice(start)), edge];
      }
      if (s === undefined) {
        path.push(edge);
        const found = visit(edge.to);
        if (found) return found;
        path.pop();
      }
    }
    state.set(id, 'done');
    return null;
  };

  for (const id of ids) {
    if (state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return null;
}
