import type { PlanEdge, PlanNode } from './MixPlan.ts';

/**
 * Topologically sorts nodes (Kahn), breaking ties by the order the builder created them
 * in, and orders edges by (target position, source position, input). The result depends
 * only on the inputs, so equal states give deep-equal plans. Throws if a cycle slipped
 * through routing repair (a builder bug, never user input).
 */
export function sortPlanNodes(nodes: readonly PlanNode[], edges: readonly PlanEdge[]): { nodes: PlanNode[]; edges: PlanEdge[] } {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const indegree = nodes.map(() => 0);
  const out: number[][] = nodes.map(() => []);
  for (const e of edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined) throw new Error(`plan edge ${e.from} -> ${e.to} names a missing node`);
    out[from]!.push(to);
    indegree[to]!++;
  }
  // A small binary heap would be faster; plans have a few hundred nodes, a sorted ready list is enough.
  const ready: number[] = [];
  indegree.forEach((d, i) => {
    if (d === 0) ready.push(i);
  });
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift() as number;
    order.push(i);
    for (const j of out[i]!) if (--indegree[j]! === 0) ready.push(j);
  }
  if (order.length !== nodes.length) throw new Error('plan graph has a cycle');
  const position = new Map<string, number>();
  order.forEach((i, p) => position.set(nodes[i]!.id, p));
  const sortedEdges = [...edges].sort(
    (a, b) => position.get(a.to)! - position.get(b.to)! || position.get(a.from)! - position.get(b.from)! || a.input - b.input,
  );
  return { nodes: order.map((i) => nodes[i]!), edges: sortedEdges };
}
