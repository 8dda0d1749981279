import { BiquadProcessor, CompressorProcessor, DeesserProcessor, GateProcessor, StereoPannerProcessor, stereoPannerLaw } from '@mixroom/shared/dsp';
import type { MixPlan, PlanNode, PlanNodeId } from '@mixroom/shared/plan';
import { createNodeKernel } from '../runtime/createNodeKernel.ts';
import { automatedStage } from './automatedStage.ts';
import type { ChainStage } from './ChainStage.ts';

/** A run of plan nodes the SIMD module executes as one kernel. */
export interface StripChain {
  /** The run's nodes, in order; the first one's inputs are the chain's input, the last one's output its output. */
  nodes: PlanNode[];
  /** Gain nodes branching off the run (e.g. a track's sends), by send index. */
  sends: PlanNode[];
  /** Frames of latency from the chain's input to each of its nodes' and sends' outputs. */
  latencyAt: Map<PlanNodeId, number>;
  /** What runs (exact copies, e.g. a unity mute or a bypassed EQ band, are left out). */
  stages: ChainStage[];
  inputChannels: 1 | 2;
  outputChannels: 1 | 2;
}

/**
 * Fewer real stages than this are left to the JavaScript kernels (the copies would cost
 * more), except a compressor, which alone is worth it (e.g. the master's glue: about 28 ns
 * a frame in JavaScript, 11 on the module).
 */
const MIN_STAGES = 2;

type Stage = Exclude<ChainStage, { kind: 'send' }>;

/**
 * Finds the runs of nodes that can be fused. A run continues from node n to the first
 * node (in plan order) reading n, when that node has n as its only input, is a gain,
 * biquad or panner (or an exact copy, or a bypassed processor's latency), keeps the
 * channel count (only a panner may change it: no up/down-mix inside), and every other
 * reader of n is a send: a gain node reading only n whose own readers all come after the
 * run in plan order (or run elsewhere). Everything else ends the run at n, whose output is
 * then materialised as usual. Deterministic, and it only decides *how* the same
 * arithmetic runs: the samples are those of the node-by-node path.
 *
 * @returns the chains keyed by their last node (where the runtime runs the chain).
 */
export function planStripChains(plan: MixPlan, include: (node: PlanNode) => boolean, sampleRate: number): Map<PlanNodeId, StripChain> {
  const index = new Map(plan.nodes.map((n, i) => [n.id, i]));
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const inputsOf = new Map<PlanNodeId, { from: PlanNodeId; input: 0 | 1 }[]>();
  const readersOf = new Map<PlanNodeId, PlanNode[]>();
  for (const e of plan.edges) {
    let ins = inputsOf.get(e.to);
    if (!ins) inputsOf.set(e.to, (ins = []));
    ins.push({ from: e.from, input: e.input });
    let rs = readersOf.get(e.from);
    if (!rs) readersOf.set(e.from, (rs = []));
    rs.push(byId.get(e.to)!);
  }
  for (const rs of readersOf.values()) rs.sort((a, b) => index.get(a.id)! - index.get(b.id)!);
  const soleInput = (n: PlanNode): PlanNode | undefined => {
    const ins = inputsOf.get(n.id) ?? [];
    return ins.length === 1 && ins[0]!.input === 0 ? byId.get(ins[0]!.from) : undefined;
  };
  /** A gate's one key (sidechain) input when it has exactly one main and one key edge. */
  const keyOf = (n: PlanNode): PlanNode | undefined => {
    const ins = inputsOf.get(n.id) ?? [];
    if (n.kind !== 'gate' || ins.length !== 2 || ins[0]!.input === ins[1]!.input) return undefined;
    return byId.get(ins.find((e) => e.input === 1)!.from);
  };
  /** Its main input, for a node with one input, or a gate with one main and one key input. */
  const mainInput = (n: PlanNode): PlanNode | undefined => {
    if (!keyOf(n)) return soleInput(n);
    return byId.get((inputsOf.get(n.id) ?? []).find((e) => e.input === 0)!.from);
  };
  /** Per node a built chain computes and keeps (its last node, a send or a tap): the plan index where it runs. */
  const kept = new Map<PlanNodeId, number>();
  const keyInTime = (key: PlanNode, first: PlanNode, gate: PlanNode): boolean => {
    const at = kept.get(key.id);
    if (at !== undefined) return at < index.get(gate.id)!;
    return !taken.has(key.id) && index.get(key.id)! < index.get(first.id)!;
  };
  const stageCache = new Map<PlanNodeId, Stage | 'identity' | null>();
  const stage = (n: PlanNode, inputChannels: 1 | 2): Stage | 'identity' | null => {
    if (!stageCache.has(n.id)) stageCache.set(n.id, include(n) ? stageOf(n, sampleRate, inputChannels) : null);
    return stageCache.get(n.id)!;
  };
  const isSend = (reader: PlanNode, from: PlanNode): boolean => {
    if (reader.kind !== 'gain' || reader.channels !== from.channels || soleInput(reader) !== from) return false;
    return stage(reader, from.channels) !== null;
  };
  /**
   * A gate keyed by `from` (another strip's point, e.g. a kick's HPF output keying a snare's
   * gate): the chain goes on through `from` and keeps a copy of it (a send of gain 1, a
   * "tap"), where it would otherwise have to end there. Only right after the chain's first
   * biquad (its trim and HPF) and before a gate, where runChain writes the copy inside its
   * EQ-and-gate loop (elsewhere the SEND would cost the section its specialised loop).
   */
  const isTap = (reader: PlanNode, from: PlanNode, stages: readonly ChainStage[], next: Stage | 'identity'): boolean =>
    keyOf(reader) === from &&
    reader.channels === from.channels &&
    next !== 'identity' &&
    next.kind === 'gate' &&
    stages.length <= 2 &&
    stages.at(-1)?.kind === 'biquad' &&
    stages.every((st) => st.kind === 'gain' || st.kind === 'biquad');

  const taken = new Set<PlanNodeId>();
  const chains = new Map<PlanNodeId, StripChain>();
  for (const first of plan.nodes) {
    if (taken.has(first.id)) continue;
    const input = soleInput(first);
    if (!input) continue;
    const firstStage = stage(first, input.channels);
    if (firstStage === null) continue;
    const chain: StripChain = {
      nodes: [first],
      sends: [],
      latencyAt: new Map(),
      stages: [],
      inputChannels: (first.kind === 'panner' ? input.channels : first.channels) as 1 | 2,
      outputChannels: first.channels,
    };
    let latency = 0;
    const push = (n: PlanNode, s: Stage | 'identity'): void => {
      if (s !== 'identity') chain.stages.push(s);
      // An automated stage (or a gate's or de-esser's sub-blocks) reads the song frame this many frames behind the chain's input.
      if (s !== 'identity' && 'lag' in s) s.lag = latency;
      if (s !== 'identity' && s.kind === 'delay') latency += s.frames;
      chain.latencyAt.set(n.id, latency);
    };
    push(first, firstStage);
    // Extend while the last node's first reader continues the run and its others are sends.
    for (;;) {
      const last = chain.nodes.at(-1)!;
      const readers = readersOf.get(last.id) ?? [];
      const next = readers[0];
      if (!next || mainInput(next) !== last || taken.has(next.id)) break;
      if (next.kind !== 'panner' && next.channels !== last.channels) break;
      const key = keyOf(next);
      // A keyed gate joins when its key, with the gate's channels, is computed before the
      // chain runs: kept by a chain built already, or a node before the chain's first (no
      // chain built later can take it).
      if (key && (!include(key) || key.channels !== next.channels || !keyInTime(key, first, next))) break;
      const nextStage = key ? keyedGateStage(next, sampleRate, key.id) : stage(next, last.channels);
      if (nextStage === null) break;
      const sends = readers.slice(1);
      const taps = sends.filter((r) => isTap(r, last, chain.stages, nextStage));
      if (!sends.every((r) => isSend(r, last) || taps.includes(r))) break;
      if (taps.length > 0) {
        chain.stages.push({ kind: 'send', gain: 1, send: chain.sends.length });
        chain.sends.push(last);
      }
      for (const send of sends) {
        if (taps.includes(send)) continue;
        const s = stage(send, last.channels)!;
        if (s !== 'identity' && s.kind === 'autoGain') chain.stages.push({ kind: 'autoSend', values: s.values, lag: latency, send: chain.sends.length });
        else chain.stages.push({ kind: 'send', gain: s === 'identity' ? 1 : (s as { gain: number }).gain, send: chain.sends.length });
        chain.sends.push(send);
        chain.latencyAt.set(send.id, latency);
      }
      chain.nodes.push(next);
      chain.outputChannels = next.channels;
      push(next, nextStage);
    }
    // A send's (or tap's) readers must run after the chain (which runs where its last node stands).
    const end = index.get(chain.nodes.at(-1)!.id)!;
    const members = new Set(chain.nodes);
    const sendsInTime = chain.sends.every((s) => (readersOf.get(s.id) ?? []).every((r) => !include(r) || members.has(r) || index.get(r.id)! > end));
    const worthIt = chain.stages.length >= MIN_STAGES || chain.stages.some((st) => st.kind === 'comp');
    if (!worthIt || !sendsInTime) continue;
    for (const n of [...chain.nodes, ...chain.sends]) taken.add(n.id);
    for (const n of [chain.nodes.at(-1)!, ...chain.sends]) kept.set(n.id, end);
    chains.set(chain.nodes.at(-1)!.id, chain);
  }
  return chains;
}

/** A gate keyed by node `key` as a chain stage (its key read from that node's buffer), or null when bypassed. */
function keyedGateStage(node: PlanNode, sampleRate: number, key: PlanNodeId): Stage | null {
  if (node.kind !== 'gate' || node.bypass || ('automation' in node && node.automation !== undefined)) return null;
  // Set up as createPlanProcessor does for the JavaScript path.
  const gate = new GateProcessor(sampleRate);
  gate.setParams(node.params);
  return { kind: 'gate', constants: gate.steadyState(), lag: 0, key };
}

/** The node as a chain stage, 'identity' for an exact copy, null when it cannot be fused. */
function stageOf(node: PlanNode, sampleRate: number, inputChannels: 1 | 2): Stage | 'identity' | null {
  if (node.kind === 'source' || node.kind === 'output') return null;
  // An automated gain, biquad or panner takes its per-frame values from its schedules
  // (automatedStage); other automated kinds run their JavaScript kernel, told each block's song frame.
  if ('automation' in node && node.automation !== undefined && !('bypass' in node && node.bypass)) {
    if (node.kind !== 'gain' && node.kind !== 'biquad' && node.kind !== 'panner') return null;
    const automated = automatedStage(node, sampleRate, inputChannels);
    if (automated) return automated;
  }
  if (node.kind === 'gain') {
    const g = Math.fround(node.gain);
    if (!Number.isFinite(g)) return null;
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
    panner.setParams({ pan: node.pan, law: node.law });
    const { law, gl, gr } = stereoPannerLaw(panner.getParams().pan, inputChannels === 2, undefined, panner.getParams().law);
    return { kind: 'pan', law, gl, gr };
  }
  if (node.kind === 'compressor' && !node.bypass) {
    // Set up exactly as createPlanProcessor does for the JavaScript path.
    const comp = new CompressorProcessor(sampleRate);
    comp.setParams(node.params);
    return { kind: 'comp', detector: comp.getParams().detector, constants: comp.steadyState() };
  }
  if (node.kind === 'gate' && !node.bypass && !node.sidechain) {
    // A gate keyed by its own input (a keyed one reads another strip: a JavaScript kernel).
    const gate = new GateProcessor(sampleRate);
    gate.setParams(node.params);
    return { kind: 'gate', constants: gate.steadyState(), lag: 0 };
  }
  if (node.kind === 'deesser' && !node.bypass && !node.params.listen) {
    // Set up as createPlanProcessor does (listen is a listener's private monitor, never in a bake's plan).
    const deesser = new DeesserProcessor(sampleRate);
    deesser.setParams(node.params);
    return { kind: 'deess', constants: deesser.steadyState(), lag: 0 };
  }
  // Other kinds join only as an exact copy or, bypassed, as their latency.
  const kernel = createNodeKernel(node, sampleRate, inputChannels);
  if (kernel.inputChannels !== node.channels) return null;
  if (kernel.identity && kernel.latencyFrames === 0) return 'identity';
  if ('bypass' in node && node.bypass && kernel.latencyFrames > 0) return { kind: 'delay', frames: kernel.latencyFrames };
  return null;
}
