export * from './MixPlan.ts';
export { buildMixPlan, inputNodeId } from './buildMixPlan.ts';
export { planNodeId } from './planNodeId.ts';
export { resolveRouting } from './resolveRouting.ts';
export type { ResolvedRouting, ResolvedSend } from './resolveRouting.ts';
export { computeAudibility } from './computeAudibility.ts';
export type { Audibility } from './computeAudibility.ts';
