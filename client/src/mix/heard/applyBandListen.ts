import type { MixPlan } from '@mixroom/shared/plan';

/**
 * The mix as this listener hears it while tuning de-essers: each listed track's de-esser
 * outputs its detector band alone (`listen`), active even when switched off, so the band
 * can be placed before the de-esser is on. Only parameters of nodes every plan already has
 * change, so the engine ramps into it without rebuilding; the shared document, other peers
 * and the bake never see it (no plan built from a mix state has `listen` set).
 */
export function applyBandListen(plan: MixPlan, tracks: ReadonlySet<string>): MixPlan {
  if (tracks.size === 0) return plan;
  const nodes = plan.nodes.map((n) =>
    n.kind === 'deesser' && n.owner.kind === 'track' && tracks.has(n.owner.id) ? { ...n, bypass: false, params: { ...n.params, listen: true } } : n,
  );
  return { ...plan, nodes };
}
