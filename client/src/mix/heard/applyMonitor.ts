import type { MixState } from '@mixroom/shared/model';
import type { MixPlan, PlanNode } from '@mixroom/shared/plan';

/**
 * The mix as this listener hears it: when anything is in the listen set, the shared solo
 * flags are replaced by the listen set (a private solo). The shared state is not touched.
 */
export function applyListenSolo(state: MixState, listening: ReadonlySet<string>): MixState {
  if (listening.size === 0) return state;
  return {
    ...state,
    tracks: state.tracks.map((t) => ({ ...t, solo: listening.has(t.id) })),
    buses: state.buses.map((b) => ({ ...b, solo: listening.has(b.id) })),
  };
}

/** Id of the private monitor gain inserted before the output. */
export const MONITOR_NODE_ID = 'master::monitor';

/**
 * Inserts a gain node between the master chain and the output for the monitor volume.
 * It sits after the master meters, so meters (and what peers hear) never change with it.
 */
export function applyMonitorVolume(plan: MixPlan, volumeDb: number): MixPlan {
  const output = plan.nodes.find((n) => n.kind === 'output');
  if (!output) return plan;
  const monitor: PlanNode = {
    id: MONITOR_NODE_ID,
    kind: 'gain',
    owner: { kind: 'master', id: '' },
    role: 'monitor',
    channels: 2,
    gain: volumeDb <= -100 ? 0 : Math.pow(10, volumeDb / 20),
  };
  const edges = plan.edges.map((e) => (e.to === output.id ? { ...e, to: MONITOR_NODE_ID } : e));
  edges.push({ from: MONITOR_NODE_ID, to: output.id, input: 0 });
  const at = plan.nodes.indexOf(output);
  const nodes = [...plan.nodes.slice(0, at), monitor, ...plan.nodes.slice(at)];
  return { ...plan, nodes, edges };
}
