import { isSwitchPath, laneValueAt, type AutomationLanes, type BusState, type MasterState, type MixState, type TrackState } from '@mixroom/shared/model';

/** Returns `obj` with the value at dotted `path` replaced; the same object when nothing changed. */
function withPath<T>(obj: T, path: readonly string[], value: number | boolean): T {
  const [head, ...rest] = path;
  if (head === undefined || obj === null || typeof obj !== 'object') return obj;
  const src = obj as Record<string, unknown>;
  if (!(head in src)) return obj;
  const next = rest.length === 0 ? value : withPath(src[head], rest, value);
  if (next === src[head]) return obj;
  const copy = (Array.isArray(obj) ? [...obj] : { ...obj }) as Record<string, unknown>;
  copy[head] = next;
  return copy as T;
}

function applyStrip<S extends TrackState | BusState | MasterState>(strip: S, time: number): S {
  const lanes: AutomationLanes = strip.automation;
  let out = strip;
  for (const path in lanes) {
    const lane = lanes[path];
    if (!lane || lane.points.length === 0) continue;
    const raw = laneValueAt(lane, time);
    if (!Number.isFinite(raw)) continue;
    const value = isSwitchPath(path) ? raw >= 0.5 : raw;
    const parts = path.split('.');
    if (parts[0] === 'sends' && parts.length === 3 && 'sends' in out) {
      const sends = (out as TrackState | BusState).sends;
      const i = sends.findIndex((x) => x.bus === parts[1]);
      if (i < 0) continue;
      const send = withPath(sends[i]!, [parts[2]!], value);
      if (send !== sends[i]) out = { ...out, sends: sends.map((x, k) => (k === i ? send : x)) };
      continue;
    }
    out = withPath(out, parts, value);
  }
  return out;
}

/**
 * The mix as the console shows it at song time `time`: every automated parameter at its
 * lane's value there (what the engine plays), the others at their static value. Strips
 * without a moving value keep their objects, so the console re-renders only what moves.
 */
export function applyLaneValues(state: MixState, time: number): MixState {
  const tracks = state.tracks.map((t) => applyStrip(t, time));
  const buses = state.buses.map((b) => applyStrip(b, time));
  const master = applyStrip(state.master, time);
  const same = <T>(a: readonly T[], b: readonly T[]) => a.every((x, i) => x === b[i]);
  if (master === state.master && same(tracks, state.tracks) && same(buses, state.buses)) return state;
  return {
    ...state,
    tracks: same(tracks, state.tracks) ? state.tracks : tracks,
    buses: same(buses, state.buses) ? state.buses : buses,
    master,
  };
}
