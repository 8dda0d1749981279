import { withAutomation } from './AutomationRecord.ts';
import { BUS_SPEC } from './BusSpec.ts';
import { MASTER_SPEC } from './MasterSpec.ts';
import type { MixState } from './MixState.ts';
import { withAddedParams as withAdded } from './ParamTable.ts';
import { withAddedTrackParams } from './TrackRecord.ts';

/**
 * `state` with every parameter added since it was saved filled in with the value older
 * records have (ParamSpec `since`/`legacy`): a mix snapshot taken before schema v3 (a
 * stored version, a comment's suggestion) gets the Web Audio pan law its strips were mixed
 * with; one from before schema v4 gets empty automation lanes. Returns `state` itself when
 * nothing is missing.
 */
export function withAddedRecordParams(state: MixState): MixState {
  const tracks = state.tracks.map((t) => withAutomation(withAddedTrackParams(t)));
  const buses = state.buses.map((b) => withAutomation(withAdded(BUS_SPEC, b)));
  const master = withAutomation(withAdded(MASTER_SPEC, state.master));
  if (master === state.master && tracks.every((t, i) => t === state.tracks[i]) && buses.every((b, i) => b === state.buses[i])) return state;
  return { ...state, tracks, buses, master };
}
