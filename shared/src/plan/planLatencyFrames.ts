import { createPlanProcessor } from './createPlanProcessor.ts';
import { PROCESSOR_KINDS, type MixPlan, type PlanNode, type ProcessorPlanNode } from './MixPlan.ts';

/**
 * Frames between a stem sample and its appearance at the plan's output: the longest path
 * latency (processors keep their latency when bypassed, so this depends only on the
 * graph). The engine's playhead and the bake's start trim both use it.
 */
export function planLatencyFrames(plan: MixPlan): number {
  const latency = new Map<string, number>();
  const own = new Map<string, number>();
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
  let out = 0;
  for (const n of plan.nodes) {
    const upstream = Math.max(0, ...(into.get(n.id) ?? []).map((id) => latency.get(id) ?? 0));
    const l = upstream + (own.get(n.id) ?? 0);
    latency.set(n.id, l);
    if (n.kind === 'output') out = l;
  }
  return out;
}
