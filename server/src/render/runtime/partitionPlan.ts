import type { MixPlan, PlanNode, PlanNodeId, SourcePlanNode } from '@mixroom/shared/plan';
import { BakeError } from '../BakeError.ts';

/** What one worker runs: whole track strips, never half of one. */
export interface TrackShare {
  trackIds: string[];
  /** Source nodes of those tracks, in plan order (the main thread streams their stems). */
  sources: SourcePlanNode[];
}

/** A share with what it hands on, as planSumChains decides. */
export interface WorkerShare extends TrackShare {
  /** The nodes it writes to the shared arena each block: signals for the main thread, then partial bus sums. */
  exports: PlanNodeId[];
  /** Partial sums of earlier workers it continues: it waits for that worker's block, then reads them. */
  relays: { id: PlanNodeId; from: number }[];
}

export interface PlanPartition {
  shares: TrackShare[];
}

const isTrackNode = (n: PlanNode): boolean => n.owner.kind === 'track';

/**
 * Splits the track strips of a plan over at most `workers` threads. Tracks joined by a
 * sidechain key (a track-to-track edge) stay together so each worker's graph is closed;
 * the groups, in track order, are cut into contiguous runs of about equal weight, so a bus
 * fed in track order can be summed along the workers (planSumChains). Deterministic: the
 * same plan and worker count always give the same split, and because every bus input is
 * still added in plan edge order, the split never changes a sample.
 */
export function partitionPlan(plan: MixPlan, workers: number): PlanPartition {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const trackOrder: string[] = [];
  for (const n of plan.nodes) {
    if (isTrackNode(n) && !parent.has(n.owner.id)) {
      parent.set(n.owner.id, n.owner.id);
      trackOrder.push(n.owner.id);
    }
  }
  for (const e of plan.edges) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) throw new BakeError('plan-invalid', `Plan edge ${e.from} -> ${e.to} names a missing node.`);
    if (isTrackNode(to) && !isTrackNode(from)) {
      throw new BakeError('plan-invalid', `Plan edge ${e.from} -> ${e.to} feeds a track strip from a bus; the bake cannot run it.`);
    }
    if (isTrackNode(from) && isTrackNode(to)) {
      const a = find(from.owner.id);
      const b = find(to.owner.id);
      if (a !== b) {
        // The earlier track stays the root, so group order follows track order.
        const [root, child] = trackOrder.indexOf(a) < trackOrder.indexOf(b) ? [a, b] : [b, a];
        parent.set(child, root);
      }
    }
  }

  const groups = new Map<string, { tracks: string[]; weight: number; first: number }>();
  trackOrder.forEach((id, i) => {
    const root = find(id);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { tracks: [], weight: 0, first: i }));
    g.tracks.push(id);
  });
  for (const n of plan.nodes) if (isTrackNode(n)) groups.get(find(n.owner.id))!.weight += nodeCost(n);

  const count = Math.max(1, Math.min(Math.floor(workers), groups.size));
  const ordered = [...groups.values()].sort((a, b) => a.first - b.first);
  const total = ordered.reduce((sum, g) => sum + g.weight, 0);
  const assigned: Set<string>[] = Array.from({ length: count }, () => new Set());
  // Contiguous runs in track order, each cut where the running weight is nearest its share:
  // buses fed in track order then sum along the workers (planSumChains).
  let w = 0;
  let before = 0;
  ordered.forEach((g, i) => {
    const left = ordered.length - i;
    const target = ((w + 1) * total) / count;
    // Move on when this group lands nearer the next share, or every later worker needs one.
    if (w < count - 1 && i > 0 && assigned[w]!.size > 0 && (Math.abs(before - target) <= Math.abs(before + g.weight - target) || left <= count - 1 - w)) w++;
    for (const t of g.tracks) assigned[w]!.add(t);
    before += g.weight;
  });

  const shares = assigned
    .map((tracks) => ({
      trackIds: trackOrder.filter((t) => tracks.has(t)),
      sources: plan.nodes.filter((n): n is SourcePlanNode => n.kind === 'source' && tracks.has(n.owner.id)),
    }))
    .filter((s) => s.trackIds.length > 0);
  return { shares };
}

/** Rough per-sample cost, only to balance workers. */
function nodeCost(n: PlanNode): number {
  switch (n.kind) {
    case 'biquad':
      return n.bypass ? 0 : 4 * n.channels;
    case 'compressor':
    case 'deesser':
    case 'gate':
    case 'saturation':
    case 'limiter':
    case 'reverb':
    case 'delay':
      return n.bypass ? 0 : 8 * n.channels;
    default:
      return n.channels;
  }
}
