import type { PlanNodeId, PlanOwner } from './MixPlan.ts';

/** The stable id of a node: `<owner kind>:<owner id>:<role>` (master's owner id is ''). */
export function planNodeId(owner: PlanOwner, role: string): PlanNodeId {
  return `${owner.kind}:${owner.id}:${role}`;
}
