import type { MixPlan, PlanNode, PlanNodeId } from '@mixroom/shared/plan';
import { BakeError } from '../BakeError.ts';
import { createNodeKernel } from './createNodeKernel.ts';
import type { NodeKernel } from './NodeKernel.ts';
import { plainSampleMemory, type SampleMemory } from './SampleArena.ts';
import { createChainKernel } from '../simd/createChainKernel.ts';
import { createKeyedGateKernel } from '../simd/createKeyedGateKernel.ts';
import { planStripChains, type StripChain } from '../simd/planStripChains.ts';
import type { StripChainMemory } from '../simd/StripChainMemory.ts';

/** Where a node's input comes from: another node's output buffers (stable across blocks). */
interface InputEdge {
  source: Float32Array[];
  /** The runtime node (index) that writes `source`; -1 for an import. */
  producer: number;
}

/** One input edge added onto its node's input sum as soon as its producer has run. */
interface SumStep {
  node: RuntimeNode;
  edge: number;
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
  /** Frames its input lags the stems: its automation is evaluated that much later. */
  inputLatency: number;
  latencyFrames: number;
  /** It reads a buffer the caller fills (an import). */
  readsImport: boolean;
  /** Its input sum is built step by step as the inputs are produced (see `steps`), not when it runs. */
  summedEarly: boolean;
}

/** What a PlanRuntime runs, and on what. */
export interface PlanRuntimeOptions {
  /** Which nodes this runtime processes. */
  readonly include: (node: PlanNode) => boolean;
  /** The largest block `run` is given, in frames. */
  readonly maxFrames: number;
  /**
   * Nodes outside the subset whose output this runtime reads, with the latency their paths
   * already carry; fill `bufferOf(id)` before each `run`.
   */
  readonly imports?: ReadonlyMap<PlanNodeId, number>;
  /**
   * When given, runs of gain/biquad/panner nodes execute fused on the SIMD strip-chain
   * module (same samples; see simd/planStripChains.ts).
   */
  readonly simd?: StripChainMemory;
  /**
   * Where buffers live and how edges are added (the bake's main thread passes a
   * SampleArena: SIMD sums, buffers the workers can write into). Default: plain arrays.
   */
  readonly memory?: SampleMemory;
  /**
   * Add each input onto its node's sum right after it is produced (default; same samples).
   * Off, every sum is done when its node runs (the tests' reference).
   */
  readonly earlySums?: boolean;
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
  private readonly memory: SampleMemory;
  /** Per runtime node: input edges to add once it has run, in edge order (scheduleEarlySums). */
  private readonly steps: SumStep[][] = [];
  /** Song frame of the next block's first sample: blocks run back to back from the song's start. */
  private frame = 0;

  constructor(plan: MixPlan, { include, maxFrames, imports = new Map(), simd, memory = plainSampleMemory, earlySums = true }: PlanRuntimeOptions) {
    this.maxFrames = maxFrames;
    this.memory = memory;
    const byId = new Map(plan.nodes.map((n) => [n.id, n]));
    const producer = new Map<PlanNodeId, number>();
    for (const [id, latencyFrames] of imports) {
      producer.set(id, -1);
      const node = byId.get(id);
      if (!node) throw new BakeError('plan-invalid', `The mix plan has no node "${id}".`);
      this.outputs.set(id, alloc(node.channels, maxFrames, memory));
      this.latency.set(id, latencyFrames);
      this.channels.set(id, node.channels);
    }
    const edgesTo = new Map<PlanNodeId, { from: PlanNodeId; input: 0 | 1 }[]>();
    for (const e of plan.edges) {
      let list = edgesTo.get(e.to);
      if (!list) edgesTo.set(e.to, (list = []));
      list.push({ from: e.from, input: e.input });
    }
    const chains = simd ? stripChainsOf(plan, include) : new Map<PlanNodeId, StripChain>();
    // Nodes a chain computes: all but its last (where it runs) and its sends (written by it).
    const interior = new Set([...chains.values()].flatMap((c) => [...c.nodes.slice(0, -1), ...c.sends].map((n) => n.id)));
    for (const node of plan.nodes) {
      if (!include(node) || interior.has(node.id)) continue;
      // A fused chain runs where its last node stands, reading its first node's inputs.
      const chain = chains.get(node.id);
      const edges = edgesTo.get(chain ? chain.nodes[0]!.id : node.id) ?? [];
      const sourceOf = (from: PlanNodeId): Float32Array[] => {
        const out = this.outputs.get(from);
        if (!out) {
          throw new BakeError('plan-invalid', `Plan node "${node.id}" reads "${from}", which is not processed before it.`);
        }
        return out;
      };
      const inputs = edges.filter((e) => e.input === 0).map((e) => ({ source: sourceOf(e.from), producer: producer.get(e.from)! }));
      const sidechains = edges.filter((e) => e.input === 1).map((e) => ({ source: sourceOf(e.from), producer: producer.get(e.from)! }));
      const widest = Math.max(1, ...inputs.map((e) => e.source.length)) as 1 | 2;
      const inLatency = Math.max(0, ...edges.filter((e) => e.input === 0).map((e) => this.latency.get(e.from) ?? 0));
      let kernel: NodeKernel | null = null;
      if (chain && simd) {
        const sendOutputs = chain.sends.map((send) => {
          const out = alloc(send.channels, maxFrames, memory);
          this.outputs.set(send.id, out);
          producer.set(send.id, this.nodes.length);
          this.latency.set(send.id, inLatency + chain.latencyAt.get(send.id)!);
          this.channels.set(send.id, send.channels);
          return out;
        });
        // Keyed gates read their key node's buffer (planStripChains made sure it is computed first).
        const keys = new Map(chain.stages.flatMap((st) => (st.kind === 'gate' && st.key !== undefined ? [[st.key, sourceOf(st.key)] as const] : [])));
        kernel = createChainKernel(simd, chain.stages, chain.inputChannels, chain.outputChannels, maxFrames, sendOutputs, keys);
      } else if (node.kind === 'gate' && node.sidechain && !node.bypass && simd) {
        // A gate keyed by another track: its JavaScript kernel's samples on the SIMD module,
        // or that kernel itself when the module's memory is full.
        kernel = kernelFor(node, plan.sampleRate, widest);
        try {
          kernel = createKeyedGateKernel(simd, node.params, plan.sampleRate, node.channels, maxFrames);
        } catch {
          // StripChainMemory.reserve: no room left in this runtime's share.
        }
      } else if (node.kind !== 'source') kernel = kernelFor(node, plan.sampleRate, widest);
      const inputChannels = kernel?.inputChannels ?? node.channels;
      const aliasInput = inputs.length === 1 && inputs[0]!.source.length === inputChannels;
      const rn: RuntimeNode = {
        node,
        kernel,
        inputs,
        sidechains,
        inputScratch: aliasInput ? inputs[0]!.source : alloc(inputChannels, maxFrames, memory),
        sidechainScratch:
          sidechains.length === 1 && sidechains[0]!.source.length === node.channels
            ? sidechains[0]!.source
            : alloc(node.channels, maxFrames, memory),
        // An identity node hands its input buffers on: no copy, same samples.
        output: kernel?.identity && inputChannels === node.channels ? (null as unknown as Float32Array[]) : alloc(node.channels, maxFrames, memory),
        inputLatency: inLatency,
        latencyFrames: inLatency + (kernel?.latencyFrames ?? 0),
        readsImport: edges.some((e) => imports.has(e.from)),
        summedEarly: false,
      };
      if (rn.output === null) rn.output = rn.inputScratch;
      this.nodes.push(rn);
      this.outputs.set(node.id, rn.output);
      this.latency.set(node.id, rn.latencyFrames);
      this.channels.set(node.id, node.channels);
      producer.set(node.id, this.nodes.length - 1);
    }
    this.nodes.forEach(() => this.steps.push([]));
    if (earlySums) this.scheduleEarlySums();
  }

  /**
   * Sums a node's inputs while they are still in cache: each input edge is added as soon as
   * it and every edge before it have been produced (a worker's bus sum reads each track's
   * block just written, not 20 of them at the end). Edges are added in edge order, exactly
   * as sumInto adds them: the same float32 sums. A sum that reads an import (a worker
   * continuing another's partial sum) is done when its node runs, after this runtime's own
   * strips: waiting for the import earlier would stall the worker (measured slower).
   */
  private scheduleEarlySums(): void {
    for (const rn of this.nodes) {
      if (rn.kernel === null || rn.inputs.length < 2 || rn.inputScratch === rn.inputs[0]!.source) continue;
      if (rn.inputs.some((e) => e.producer < 0)) continue;
      rn.summedEarly = true;
      let ready = 0;
      rn.inputs.forEach((e, edge) => {
        ready = Math.max(ready, e.producer);
        this.steps[ready]!.push({ node: rn, edge });
      });
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

  /**
   * Processes one block of `frames` through every node, in plan order. `beforeImports`, if
   * given, is called once, right before the first node that reads an import: a worker fills
   * the partial sums it continues only then, after running its own strips (planSumChains).
   */
  run(frames: number, beforeImports?: () => void): void {
    let imported = beforeImports === undefined;
    for (let i = 0; i < this.nodes.length; i++) {
      const rn = this.nodes[i]!;
      if (!imported && rn.readsImport) {
        imported = true;
        beforeImports!();
      }
      if (rn.kernel !== null) this.process(rn, rn.kernel, frames); // sources are filled by the caller
      for (const step of this.steps[i]!) addEdge(step.node.inputScratch, step.node.inputs[step.edge]!.source, step.edge === 0, frames, this.memory);
    }
    this.frame += frames;
  }

  private process(rn: RuntimeNode, kernel: NodeKernel, frames: number): void {
    const aliased = rn.inputs.length === 1 && rn.inputScratch === rn.inputs[0]!.source;
    const input = rn.summedEarly || aliased ? rn.inputScratch : sumInto(rn.inputs, rn.inputScratch, frames, this.memory);
    let sidechain: readonly Float32Array[] | undefined;
    if (rn.sidechains.length > 0) {
      sidechain =
        rn.sidechains.length === 1 && rn.sidechainScratch === rn.sidechains[0]!.source
          ? rn.sidechainScratch
          : sumInto(rn.sidechains, rn.sidechainScratch, frames, this.memory);
    }
    if (rn.output !== input) kernel.process(input, rn.output, frames, sidechain, this.frame - rn.inputLatency);
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

/**
 * A plan whose strip nodes cannot be set up (NaN parameters) runs node by node instead, so
 * the error names the bad node (kernelFor) rather than surfacing from the chain planner.
 */
function stripChainsOf(plan: MixPlan, include: (node: PlanNode) => boolean): Map<PlanNodeId, StripChain> {
  try {
    return planStripChains(plan, include, plan.sampleRate);
  } catch {
    return new Map();
  }
}

function alloc(channels: number, frames: number, memory: SampleMemory): Float32Array[] {
  return Array.from({ length: channels }, () => memory.alloc(frames));
}

/**
 * One edge onto `dst` as sumInto adds it: copied when it is the first, else added (float32),
 * with the same up/down-mix.
 */
function addEdge(dst: Float32Array[], src: Float32Array[], first: boolean, frames: number, memory: SampleMemory): void {
  if (src.length === dst.length || src.length === 1) {
    for (let c = 0; c < dst.length; c++) {
      const s = src.length === 1 ? src[0]! : src[c]!;
      if (first) dst[c]!.set(s.subarray(0, frames));
      else memory.add(dst[c]!, dst[c]!, s, frames);
    }
  } else downmixInto(dst[0]!, src[0]!, src[1]!, first, frames);
}

/** Stereo onto a mono sum: 0.5 (L + R), rounded to float32 before the add, as the browser's float summing bus does. */
function downmixInto(d: Float32Array, l: Float32Array, r: Float32Array, first: boolean, frames: number): void {
  if (first) for (let i = 0; i < frames; i++) d[i] = 0.5 * (l[i]! + r[i]!);
  else for (let i = 0; i < frames; i++) d[i] = d[i]! + Math.fround(0.5 * (l[i]! + r[i]!));
}

/**
 * Sums edges into `dst` in order with Web Audio's "speakers" up/down-mix: mono -> stereo
 * copies M to both sides; stereo -> mono is 0.5 (L + R). Float32 accumulation, like the
 * browser's summing junction.
 */
function sumInto(edges: readonly InputEdge[], dst: Float32Array[], frames: number, memory: SampleMemory): Float32Array[] {
  if (edges.length === 0) {
    for (const d of dst) d.fill(0, 0, frames);
    return dst;
  }
  for (let e = 0; e < edges.length; e++) {
    const src = edges[e]!.source;
    if (src.length === dst.length || src.length === 1) {
      // The first two same-width edges in one pass: dst = s0 + s1 is the same float32 sum
      // as copying s0 and then adding s1.
      const next = e === 0 && edges.length > 1 ? edges[1]!.source : null;
      const fuse = next !== null && (next.length === dst.length || next.length === 1);
      // The run of same-width (or mono) edges after this one, added in order in one call.
      let end = fuse ? e + 2 : e + 1;
      while (end < edges.length && (edges[end]!.source.length === dst.length || edges[end]!.source.length === 1)) end++;
      for (let c = 0; c < dst.length; c++) {
        const s = src.length === 1 ? src[0]! : src[c]!;
        const d = dst[c]!;
        if (fuse) memory.add(d, s, next.length === 1 ? next[0]! : next[c]!, frames);
        else if (e === 0) d.set(s.subarray(0, frames));
        else memory.add(d, d, s, frames);
        const rest: Float32Array[] = [];
        for (let k = fuse ? e + 2 : e + 1; k < end; k++) {
          const sk = edges[k]!.source;
          rest.push(sk.length === 1 ? sk[0]! : sk[c]!);
        }
        if (rest.length > 0) memory.accumulate(d, rest, frames);
      }
      e = end - 1;
    } else downmixInto(dst[0]!, src[0]!, src[1]!, e === 0, frames);
  }
  return dst;
}
