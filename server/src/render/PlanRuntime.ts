import type { MixPlan, PlanNode, PlanNodeId } from '@mixroom/shared/plan';
import { BakeError } from './BakeError.ts';
import { createNodeKernel } from './createNodeKernel.ts';
import type { NodeKernel } from './NodeKernel.ts';

/** Where a node's input comes from: another node's output buffers (stable across blocks). */
interface InputEdge {
  source: Float32Array[];
}

interface RuntimeNode {
  node: PlanNode;
  kernel: NodeKernel | null;
  inputs: InputEdge[];
  sidechains: InputEdge[];
  /** Scratch for summing input 0 / input 1 when they cannot alias a source buffer. */
  inputScratch: Float32Array[];
  sidechainScratch: Float32Array[];
  output: Float32Array[];
  latencyFrames: number;
}

/**
 * Runs a subset of a MixPlan's nodes block by block, in plan order (the plan's nodes are
 * topologically sorted), summing each node's inputs in plan edge order exactly as the plan
 * specifies. A worker runs one with its tracks' nodes; the main thread runs one with the
 * buses and master, whose track inputs are "imported" buffers filled from the workers.
 */
export class PlanRuntime {
  readonly maxFrames: number;
  private readonly nodes: RuntimeNode[] = [];
  private readonly outputs = new Map<PlanNodeId, Float32Array[]>();
  private readonly latency = new Map<PlanNodeId, number>();
  private readonly channels = new Map<PlanNodeId, 1 | 2>();

  /**
   * @param include which nodes this runtime processes.
   * @param imports nodes outside the subset whose output this runtime reads, with the
   *   latency their paths already carry; fill `bufferOf(id)` before each `run`.
   */
  constructor(
    plan: MixPlan,
    include: (node: PlanNode) => boolean,
    maxFrames: number,
    imports: ReadonlyMap<PlanNodeId, number> = new Map(),
  ) {
    this.maxFrames = maxFrames;
    const byId = new Map(plan.nodes.map((n) => [n.id, n]));
    for (const [id, latencyFrames] of imports) {
      const node = byId.get(id);
      if (!node) throw new BakeError('plan-invalid', `The mix plan has no node "${id}".`);
      this.outputs.set(id, alloc(node.channels, maxFrames));
      this.latency.set(id, latencyFrames);
      this.channels.set(id, node.channels);
    }
    const edgesTo = new Map<PlanNodeId, { from: PlanNodeId; input: 0 | 1 }[]>();
    for (const e of plan.edges) {
      let list = edgesTo.get(e.to);
      if (!list) edgesTo.set(e.to, (list = []));
      list.push({ from: e.from, input: e.input });
    }
    for (const node of plan.nodes) {
      if (!include(node)) continue;
      const edges = edgesTo.get(node.id) ?? [];
      const sourceOf = (from: PlanNodeId): Float32Array[] => {
        const out = this.outputs.get(from);
        if (!out) {
          throw new BakeError('plan-invalid', `Plan node "${node.id}" reads "${from}", which is not processed before it.`);
        }
        return out;
      };
      const inputs = edges.filter((e) => e.input === 0).map((e) => ({ source: sourceOf(e.from) }));
      const sidechains = edges.filter((e) => e.input === 1).map((e) => ({ source: sourceOf(e.from) }));
      const widest = Math.max(1, ...inputs.map((e) => e.source.length)) as 1 | 2;
      const kernel = node.kind === 'source' ? null : kernelFor(node, plan.sampleRate, widest);
      const inLatency = Math.max(0, ...edges.filter((e) => e.input === 0).map((e) => this.latency.get(e.from) ?? 0));
      const inputChannels = kernel?.inputChannels ?? node.channels;
      const aliasInput = inputs.length === 1 && inputs[0]!.source.length === inputChannels;
      const rn: RuntimeNode = {
        node,
        kernel,
        inputs,
        sidechains,
        inputScratch: aliasInput ? inputs[0]!.source : alloc(inputChannels, maxFrames),
        sidechainScratch:
          sidechains.length === 1 && sidechains[0]!.source.length === node.channels
            ? sidechains[0]!.source
            : alloc(node.channels, maxFrames),
        // An identity node hands its input buffers on: no copy, same samples.
        output: kernel?.identity && inputChannels === node.channels ? (null as unknown as Float32Array[]) : alloc(node.channels, maxFrames),
        latencyFrames: inLatency + (kernel?.latencyFrames ?? 0),
      };
      if (rn.output === null) rn.output = rn.inputScratch;
      this.nodes.push(rn);
      this.outputs.set(node.id, rn.output);
      this.latency.set(node.id, rn.latencyFrames);
      this.channels.set(node.id, node.channels);
    }
  }

  /** The output buffers of a node (a source's are where its stem block goes; an import's are filled by the caller). */
  bufferOf(id: PlanNodeId): Float32Array[] {
    const out = this.outputs.get(id);
    if (!out) throw new BakeError('plan-invalid', `The mix plan has no node "${id}" in this runtime.`);
    return out;
  }

  /** Frames of delay accumulated on the way to (and through) a node. */
  latencyOf(id: PlanNodeId): number {
    return this.latency.get(id) ?? 0;
  }

  /** Processes one block of `frames` through every node, in plan order. */
  run(frames: number): void {
    for (const rn of this.nodes) {
      if (rn.kernel === null) continue; // source: filled by the caller
      const input = rn.inputs.length === 1 && rn.inputScratch === rn.inputs[0]!.source ? rn.inputScratch : sumInto(rn.inputs, rn.inputScratch, frames);
      let sidechain: readonly Float32Array[] | undefined;
      if (rn.sidechains.length > 0) {
        sidechain =
          rn.sidechains.length === 1 && rn.sidechainScratch === rn.sidechains[0]!.source
            ? rn.sidechainScratch
            : sumInto(rn.sidechains, rn.sidechainScratch, frames);
      }
      if (rn.output !== input) rn.kernel.process(input, rn.output, frames, sidechain);
    }
  }
}

/** A plan with a NaN or missing parameter is a bad plan, named by node, not a crash. */
function kernelFor(node: PlanNode, sampleRate: number, widest: 1 | 2): NodeKernel {
  try {
    return createNodeKernel(node, sampleRate, widest);
  } catch (err) {
    if (err instanceof BakeError) throw err;
    throw new BakeError('plan-invalid', `Plan node "${node.id}" cannot be set up: ${(err as Error).message}`, { cause: err });
  }
}

function alloc(channels: number, frames: number): Float32Array[] {
  return Array.from({ length: channels }, () => new Float32Array(frames));
}

/**
 * Sums edges into `dst` in order with Web Audio's "speakers" up/down-mix: mono -> stereo
 * copies M to both sides; stereo -> mono is 0.5 (L + R). Float32 accumulation, like the
 * browser's summing junction.
 */
function sumInto(edges: readonly InputEdge[], dst: Float32Array[], frames: number): Float32Array[] {
  if (edges.length === 0) {
    for (const d of dst) d.fill(0, 0, frames);
    return dst;
  }
  for (let e = 0; e < edges.length; e++) {
    const src = edges[e]!.source;
    const first = e === 0;
    if (src.length === dst.length) {
      for (let c = 0; c < dst.length; c++) {
        const s = src[c]!;
        const d = dst[c]!;
        if (first) d.set(s.subarray(0, frames));
        else for (let i = 0; i < frames; i++) d[i] = d[i]! + s[i]!;
      }
    } else if (src.length === 1) {
      const s = src[0]!;
      for (let c = 0; c < dst.length; c++) {
        const d = dst[c]!;
        if (first) d.set(s.subarray(0, frames));
        else for (let i = 0; i < frames; i++) d[i] = d[i]! + s[i]!;
      }
    } else {
      const l = src[0]!;
      const r = src[1]!;
      const d = dst[0]!;
      // Rounded to float32 before the add, as the browser's float summing bus does.
      if (first) for (let i = 0; i < frames; i++) d[i] = 0.5 * (l[i]! + r[i]!);
      else for (let i = 0; i < frames; i++) d[i] = d[i]! + Math.fround(0.5 * (l[i]! + r[i]!));
    }
  }
  return dst;
}
