import { BiquadProcessor, StereoPannerProcessor, stereoPannerLaw } from '@mixroom/shared/dsp';
import type { MixPlan, PlanNode, PlanNodeId } from '@mixroom/shared/plan';
import { createNodeKernel } from '../createNodeKernel.ts';
import type { ChainStage } from './ChainStage.ts';

/** A run of plan nodes the SIMD module executes as one kernel. */
export interface StripChain {
  /** The nodes, in order; the first one's inputs are the chain's input. */
  nodes: PlanNode[];
  /** What runs (identity nodes, e.g. a unity mute, are left out). */
  stages: ChainStage[];
  inputChannels: 1 | 2;
  outputChannels: 1 | 2;
}

/** Fewer real stages than this are left to the JavaScript kernels (the copies would cost more). */
const MIN_STAGES = 2;

/**
 * Finds the runs of nodes that can be fused: each is a gain, biquad or panner (or a node
 * whose kernel is an exact copy) with exactly one input, fed by the previous node of the
 * run and by nothing else, whose output nobody but the next node reads; channel counts
 * must not change except at a panner (no up/down-mix inside). Deterministic, and it only
 * decides *how* the same arithmetic runs: the samples are those of the node-by-node path.
 *
 * @returns the chains keyed by their last node (where the runtime runs the chain).
 */
export function planStripChains(plan: MixPlan, include: (node: PlanNode) => boolean, sampleRate: number): Map<PlanNodeId, StripChain> {
  const incoming = new Map<PlanNodeId, { from: PlanNodeId; input: 0 | 1 }[]>();
  const consumers = new Map<PlanNodeId, number>();
  for (const e of plan.edges) {
    let list = incoming.get(e.to);
    if (!list) incoming.set(e.to, (list = []));
    list.push({ from: e.from, input: e.input });
    consumers.set(e.from, (consumers.get(e.from) ?? 0) + 1);
  }
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const open = new Map<PlanNodeId, StripChain>(); // chains by their current last node
  const done: StripChain[] = [];
  for (const node of plan.nodes) {
    if (!include(node)) continue;
    const edges = incoming.get(node.id) ?? [];
    const single = edges.length === 1 && edges[0]!.input === 0 ? byId.get(edges[0]!.from) : undefined;
    const inputChannels = single ? single.channels : node.channels;
    const stage = single ? stageOf(node, sampleRate, inputChannels) : null;
    if (stage === null) continue;
    const prev = open.get(single!.id);
    const joins = prev !== undefined && consumers.get(single!.id) === 1 && (node.kind === 'panner' || single!.channels === node.channels);
    if (joins) {
      open.delete(single!.id);
      prev.nodes.push(node);
      if (stage !== 'identity') prev.stages.push(stage);
      prev.outputChannels = node.channels;
      open.set(node.id, prev);
    } else {
      const chain: StripChain = {
        nodes: [node],
        stages: stage === 'identity' ? [] : [stage],
        inputChannels: (node.kind === 'panner' ? inputChannels : node.channels) as 1 | 2,
        outputChannels: node.channels,
      };
      open.set(node.id, chain);
      done.push(chain);
    }
  }
  const chains = new Map<PlanNodeId, StripChain>();
  for (const c of done) if (c.stages.length >= MIN_STAGES) chains.set(c.nodes.at(-1)!.id, c);
  return chains;
}

/** The node as a chain stage, 'identity' for an exact copy, null when it cannot be fused. */
function stageOf(node: PlanNode, sampleRate: number, inputChannels: 1 | 2): ChainStage | 'identity' | null {
  if (node.kind === 'source' || node.kind === 'output') return null;
  if (node.kind === 'gain') {
    const g = Math.fround(node.gain);
    // A zero gain writes +0 where the product would give -0 for negative samples: keep
    // that node on its JavaScript kernel rather than special-casing it.
    if (!Number.isFinite(g) || g === 0) return null;
    return g === 1 ? 'identity' : { kind: 'gain', gain: g };
  }
  if (node.kind === 'biquad') {
    if (node.bypass) return 'identity';
    const biquad = new BiquadProcessor(sampleRate);
    biquad.setParams({ type: node.type, frequency: node.frequency, Q: node.q, gain: node.gain });
    return { kind: 'biquad', coefficients: { ...biquad.coefficients } };
  }
  if (node.kind === 'panner') {
    const panner = new StereoPannerProcessor(sampleRate);
    panner.setParams({ pan: node.pan });
    const { law, gl, gr } = stereoPannerLaw(panner.getParams().pan, inputChannels === 2);
    return { kind: 'pan', law, gl, gr };
  }
  // Any other node joins only as an exact, latency-free copy (e.g. bypassed processors).
  const kernel = createNodeKernel(node, sampleRate, inputChannels);
  return kernel.identity && kernel.latencyFrames === 0 && kernel.inputChannels === node.channels ? 'identity' : null;
}
