/**
 * What a bake thread needs of the plan module to run a plan, without what builds one:
 * building pulls in the mix model and Yjs, which cost a track worker about 0.2 CPU-s to load
 * at every thread start. Types come from `@mixroom/shared/plan` as usual.
 */
export { createPlanProcessor } from './createPlanProcessor.ts';
export type { PlanProcessor } from './createPlanProcessor.ts';
export { MissingKernelError } from './MissingKernelError.ts';
export { ScheduleCursor } from './automation/ScheduleCursor.ts';
export { createAutomatedProcessor } from './automation/createAutomatedProcessor.ts';
