import type { OutputTarget } from '../model/MixState.ts';
import type { PlanNodeId } from './MixPlan.ts';
import { planNodeId } from './planNodeId.ts';

/** Id of the node every strip routed to `target` feeds. */
export function inputNodeId(target: OutputTarget): PlanNodeId {
  return target === 'master' ? planNodeId({ kind: 'master', id: '' }, 'fader') : planNodeId({ kind: 'bus', id: target }, 'in');
}
