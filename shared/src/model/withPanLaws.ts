import type { MixState, PanLaw } from './MixState.ts';

/**
 * `state` with a pan law on every strip. A mix snapshot taken before schema v3 (a stored
 * version, a comment's suggestion) has none: its strips were mixed with the Web Audio law,
 * so that is what they get. Returns `state` itself when nothing is missing.
 */
export function withPanLaws(state: MixState): MixState {
  const missing = (s: { panLaw?: PanLaw }) => s.panLaw === undefined;
  if (!state.tracks.some(missing) && !state.buses.some(missing)) return state;
  return {
    ...state,
    tracks: state.tracks.map((t) => (missing(t) ? { ...t, panLaw: 'webaudio' } : t)),
    buses: state.buses.map((b) => (missing(b) ? { ...b, panLaw: 'webaudio' } : b)),
  };
}
