import type { MixPlan } from '@mixroom/shared/plan';

/** What a bake's files are held to, read from the plan it renders. */
export interface PlanDeliverable {
  /** True-peak ceiling (dBTP): the master limiter's when it runs, else full scale (0). */
  ceilingDb: number;
  /** The master limiter runs: the master sits at its ceiling, so the MP3 starts with a margin. */
  limited: boolean;
}

/** Same rule as shared's `deliverableCeilingDb` on the mix state the plan was built from. */
export function planDeliverable(plan: MixPlan): PlanDeliverable {
  const limiter = plan.nodes.find((n) => n.owner.kind === 'master' && n.kind === 'limiter');
  const limited = limiter !== undefined && limiter.kind === 'limiter' && !limiter.bypass;
  return { ceilingDb: limited ? limiter.params.ceiling : 0, limited };
}
