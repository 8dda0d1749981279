import type { MixPlan, PlanEdge, PlanNode, PlanNodeId } from '@mixroom/shared/plan';
import type { TrackShare, WorkerShare } from './partitionPlan.ts';

/** The role of the partial-sum nodes planSumChains adds (unity gain nodes). */
export const SUM_ROLE = 'sum';

/** A bus input summed along the workers: each adds its tracks onto the previous worker's partial sum. */
export interface SumChain {
  /** The bus or master node whose input-0 sum this is. */
  target: PlanNodeId;
  /** The partial-sum nodes, one per worker taking part, in chain order (the last is the whole run's sum). */
  partials: PlanNodeId[];
}

export interface SumChainPlan {
  /**
   * The plan every runtime of the bake runs: the original nodes plus one unity-gain
   * partial-sum node per chain and worker (owned by one of that worker's tracks, appended
   * after all original nodes), and the edges rewired: a chained run of the target's inputs
   * is replaced by one edge from the chain's last partial, and each partial reads the
   * previous worker's partial first, then its own tracks' signals in the original order.
   */
  plan: MixPlan;
  chains: SumChain[];
  /** The shares with their exports (signals the main thread reads, then partials) and relays. */
  shares: WorkerShare[];
  /** The exports the main thread reads (all but the partials a later worker continues). */
  mainImports: Set<PlanNodeId>;
}

/**
 * Moves the bus sums of track signals into the workers without changing a sample.
 *
 * The main thread used to receive every track's bus feeds (40 tracks with two sends: 120
 * stereo blocks per block) and add them up in plan edge order. Float addition is not
 * associative, so workers cannot each sum their own tracks and hand over the partial
 * results. But a left-to-right sum can be handed along: when the leading run of a bus's
 * input-0 edges comes from track nodes whose workers appear in non-decreasing order
 * (partitionPlan deals tracks out in contiguous runs, so a bus fed in track order always
 * qualifies), worker 0 sums its part of the run, worker 1 waits for that partial and adds its
 * own tracks onto it, and so on; the main thread adds the rest of the bus's inputs onto the
 * last partial. Every add happens in exactly the original order, so the bake is bit for bit
 * what summing everything on the main thread gave, for any worker count (renderReference and
 * the worker-count tests check this). What it saves: each worker sends one block per bus
 * instead of one per track and bus, and the main thread no longer reads them all back.
 *
 * Runs that do not qualify (a bus fed by only one track signal, inputs interleaving workers
 * against that order, sidechain keys) keep the old path: the signals are exported one by one.
 */
export function planSumChains(plan: MixPlan, shares: readonly TrackShare[]): SumChainPlan {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const workerOfTrack = new Map<string, number>();
  shares.forEach((s, w) => s.trackIds.forEach((t) => workerOfTrack.set(t, w)));
  const workerOf = (id: PlanNodeId): number | null => {
    const n = byId.get(id);
    return n && n.owner.kind === 'track' ? (workerOfTrack.get(n.owner.id) ?? null) : null;
  };
  const isMain = (n: PlanNode | undefined): boolean => n !== undefined && n.owner.kind !== 'track';

  // Input-0 edges of each main-side node, by their index in plan.edges.
  const input0 = new Map<PlanNodeId, number[]>();
  plan.edges.forEach((e, i) => {
    if (e.input !== 0 || !isMain(byId.get(e.to))) return;
    let list = input0.get(e.to);
    if (!list) input0.set(e.to, (list = []));
    list.push(i);
  });

  const chains: SumChain[] = [];
  const extraNodes: PlanNode[] = [];
  const extraEdges: PlanEdge[] = [];
  /** Chained edges (by index), and the one edge from the last partial that stands in the first one's place. */
  const replaced = new Map<number, PlanEdge | null>();
  const relays: { id: PlanNodeId; from: number }[][] = shares.map(() => []);
  const partialsOf: PlanNodeId[][] = shares.map(() => []);
  for (const [target, indices] of input0) {
    const edges = indices.map((i) => plan.edges[i]!);
    let run = 0;
    let last = 0;
    for (const e of edges) {
      const w = workerOf(e.from);
      if (w === null || w < last) break;
      last = w;
      run++;
    }
    if (run < 2) continue;
    const node = byId.get(target)!;
    // The width the target sums its inputs to (a panner keeps a mono input mono): the
    // partials sum at that width with the same up/down-mix rules, so nothing changes.
    const width = (node.kind === 'panner' ? Math.max(...edges.map((e) => byId.get(e.from)!.channels)) : node.channels) as 1 | 2;
    const chain: SumChain = { target, partials: [] };
    let prev: { id: PlanNodeId; worker: number } | null = null;
    for (let i = 0; i < run; ) {
      const w = workerOf(edges[i]!.from)!;
      const own: PlanEdge[] = [];
      while (i < run && workerOf(edges[i]!.from) === w) own.push(edges[i++]!);
      const id = `sum:${target}:${w}`;
      const owner = byId.get(own[0]!.from)!.owner;
      extraNodes.push({ kind: 'gain', role: SUM_ROLE, gain: 1, id, owner, channels: width });
      if (prev) {
        extraEdges.push({ from: prev.id, to: id, input: 0 });
        relays[w]!.push({ id: prev.id, from: prev.worker });
      }
      for (const e of own) extraEdges.push({ from: e.from, to: id, input: 0 });
      chain.partials.push(id);
      partialsOf[w]!.push(id);
      prev = { id, worker: w };
    }
    indices.slice(0, run).forEach((i, k) => replaced.set(i, k === 0 ? { from: prev!.id, to: target, input: 0 } : null));
    chains.push(chain);
  }

  const edges: PlanEdge[] = [];
  plan.edges.forEach((e, i) => {
    const r = replaced.get(i);
    if (r === undefined) edges.push(e);
    else if (r !== null) edges.push(r);
  });
  edges.push(...extraEdges);
  const out: MixPlan = { ...plan, nodes: [...plan.nodes, ...extraNodes], edges };

  // What each worker writes for the main thread: its nodes that still feed a main-side node
  // directly (in plan order), then its partials.
  const partialIds = new Set(extraNodes.map((n) => n.id));
  const feedsMain = new Set<PlanNodeId>();
  for (const e of edges) if (!partialIds.has(e.from) && workerOf(e.from) !== null && isMain(byId.get(e.to))) feedsMain.add(e.from);
  const withExports = shares.map((s, w) => ({
    ...s,
    exports: [...plan.nodes.filter((n) => feedsMain.has(n.id) && workerOf(n.id) === w).map((n) => n.id), ...partialsOf[w]!],
    relays: relays[w]!,
  }));
  const mainImports = new Set<PlanNodeId>([...feedsMain, ...chains.map((c) => c.partials.at(-1)!)]);
  return { plan: out, chains, shares: withExports, mainImports };
}
