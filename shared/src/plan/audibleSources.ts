import type { MixPlan, PlanNode, PlanNodeId } from './MixPlan.ts';

/** Closes its input for good: a strip's resolved mute or send gain at 0 (mute, solo). */
function closes(node: PlanNode, input: 0 | 1): boolean {
  if (node.kind === 'gain') return node.gain === 0 && (node.role === 'mute' || node.role.startsWith('send:'));
  // A bypassed compressor or gate does not listen to its sidechain key.
  if (node.kind === 'compressor' || node.kind === 'gate') return input === 1 && node.bypass;
  return false;
}

/**
 * The source nodes whose stems can be heard at the plan's output: those with a path to an
 * `output` node that no closed mute or send gain (mute and solo are resolved into those,
 * see computeAudibility) and no bypassed compressor's key input cuts. A muted kick that
 * keys the bass compressor is audible: it shapes the bass. Faders are not consulted: a
 * fader pulled down is still part of the mix the listener is shaping.
 *
 * The live engine waits for exactly these stems before it starts playing.
 */
export function audibleSources(plan: MixPlan): Set<PlanNodeId> {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const into = new Map<PlanNodeId, { from: PlanNodeId; input: 0 | 1 }[]>();
  for (const e of plan.edges) into.set(e.to, [...(into.get(e.to) ?? []), { from: e.from, input: e.input }]);
  const reached = new Set<PlanNodeId>();
  const stack = plan.nodes.filter((n) => n.kind === 'output').map((n) => n.id);
  for (const id of stack) reached.add(id);
  while (stack.length > 0) {
    const id = stack.pop()!;
    const node = byId.get(id);
    for (const { from, input } of into.get(id) ?? []) {
      if (reached.has(from) || (node && closes(node, input))) continue;
      reached.add(from);
      stack.push(from);
    }
  }
  return new Set(plan.nodes.filter((n) => n.kind === 'source' && reached.has(n.id)).map((n) => n.id));
}
