import { PAN_LAWS } from '../model/MixState.ts';
import type { MixPlan } from './MixPlan.ts';
import { MIX_PLAN_VERSION } from './MixPlan.ts';
import { PlanError } from './PlanError.ts';

/**
 * Checks that a plan can be realised: known version, a positive sample rate, every number
 * finite (a NaN from a corrupt document must never reach an AudioParam or a kernel), every
 * edge between existing nodes in plan order. Throws {@link PlanError}; returns the plan.
 */
export function validateMixPlan(plan: MixPlan): MixPlan {
  if (plan.version !== MIX_PLAN_VERSION) throw new PlanError(`Unsupported mix plan version ${String(plan.version)}`, '', 'version');
  if (!(plan.sampleRate >= 3000 && plan.sampleRate <= 768000)) throw new PlanError(`Bad plan sample rate ${plan.sampleRate}`, '', 'sampleRate');
  const position = new Map<string, number>();
  plan.nodes.forEach((n, i) => {
    checkNumbers(n, n.id, '');
    // No law: a plan written before pan laws existed, i.e. the spec's.
    if (n.kind === 'panner' && n.law !== undefined && !(PAN_LAWS as readonly string[]).includes(n.law)) {
      throw new PlanError(`Plan node ${n.id}: unknown pan law ${String(n.law)}`, n.id, 'law');
    }
    position.set(n.id, i);
  });
  for (const e of plan.edges) {
    const from = position.get(e.from);
    const to = position.get(e.to);
    if (from === undefined || to === undefined || from >= to) throw new PlanError(`Plan edge ${e.from} -> ${e.to} is not between ordered nodes`, e.to, 'edges');
  }
  return plan;
}

function checkNumbers(value: unknown, nodeId: string, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PlanError(`Plan node ${nodeId}: ${path} is ${value}`, nodeId, path);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) checkNumbers(v, nodeId, path ? `${path}.${k}` : k);
}
