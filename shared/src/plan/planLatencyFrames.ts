import { createPlanProcessor } from './createPlanProcessor.ts';
import { PROCESSOR_KINDS, type MixPlan, type PlanNode, type PlanNodeId, type ProcessorPlanNode } from './MixPlan.ts';

/**
 * Frames between a stem sample and its appearance at the plan's output: the longest path
 * latency (processors keep their latency when bypassed, so this depends only on the
 * graph). The engine's playhead and the bake's start trim both use it.
 */
export function planLatencyFrames(plan: MixPlan): number {
  const { input, own } = latencies(plan);
  const out = plan.nodes.find((n) => n.kind === 'output');
  return out ? (input.get(out.id) ?? 0) + (own.get(out.id) ?? 0) : 0;
}

/**
 * Frames between a stem sample and its arrival at each node's input (the longest path
 * into it). A node's automation is played that much later, so a lane moves the audio it
 * was drawn over (plugin delay compensation for automation), in both engines.
 */
export function planInputLatencyFrames(plan: MixPlan): Map<PlanNodeId, number> {
  return latencies(plan).input;
}

function latencies(plan: MixPlan): { input: Map<PlanNodeId, number>; own: Map<PlanNodeId, number> } {
  const latency = new Map<string, number>();
  const own = new Map<string, number>();
  const input = new Map<string, number>();
  const kernelLatency = new Map<string, number>();
  const isProcessor = (n: PlanNode): n is ProcessorPlanNode => (PROCESSOR_KINDS as readonly string[]).includes(n.kind);
  for (const n of plan.nodes) {
    if (isProcessor(n)) {
      // Latency is a property of the kernel kind at this rate, not of its parameters.
      const key = `${n.kind}/${n.bypass}`;
      let l = kernelLatency.get(key);
      if (l === undefined) kernelLatency.set(key, (l = createPlanProcessor(n, plan.sampleRate).latencyFrames));
      own.set(n.id, l);
    }
  }
  const into = new Map<string, string[]>();
  for (const e of plan.edges) if (e.input === 0) into.set(e.to, [...(into.get(e.to) ?? []), e.from]);
  for (const n of plan.nodes) {
    const upstream = Math.max(0, ...(into.get(n.id) ?? []).map((id) => latency.get(id) ?? 0));
    input.set(n.id, upstream);
    latency.set(n.id, upstream + (own.get(n.id) ?? 0));
  }
  return { input, own };
}
