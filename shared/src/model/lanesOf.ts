import type { AutomationLanes, AutomationScope } from './AutomationLane.ts';
import type { MixState } from './MixState.ts';

const NONE: AutomationLanes = Object.freeze({});

/**
 * The lanes of one strip of `state`: the master's, or the track's or bus's with `id` (empty
 * when there is no such strip). What the plan, the engines and the console read a strip's
 * automation through.
 */
export function lanesOf(state: MixState, scope: AutomationScope, id?: string): AutomationLanes {
  if (scope === 'master') return state.master.automation;
  const strips: readonly { id: string; automation: AutomationLanes }[] = scope === 'track' ? state.tracks : state.buses;
  return strips.find((s) => s.id === id)?.automation ?? NONE;
}
