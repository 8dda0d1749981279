import type { MixState } from '@mixroom/shared/model';
import { decodeGestureTarget } from '@mixroom/shared/protocol';
import { BUS_PARAMS, MASTER_PARAMS, SEND_PARAMS, TRACK_PARAMS, coerceParam, type GestureAwarenessState, type ParamSpec } from '@mixroom/shared/ops';

/** Returns a copy of `obj` with the number at dotted `path` replaced (EQ bands are an array). */
function withPath<T>(obj: T, path: readonly string[], value: number): T {
  const [head, ...rest] = path;
  if (head === undefined || obj === null || typeof obj !== 'object') return obj;
  const copy = (Array.isArray(obj) ? [...obj] : { ...obj }) as Record<string, unknown>;
  if (!(head in copy)) return obj;
  copy[head] = rest.length === 0 ? value : withPath(copy[head], rest, value);
  return copy as T;
}

function coerce(specs: Readonly<Record<string, ParamSpec>>, param: string, value: number): number | null {
  const spec = specs[param];
  if (!spec || spec.kind !== 'number') return null;
  try {
    return coerceParam(spec, value, param) as number;
  } catch {
    return null;
  }
}

/**
 * The mix with other people's in-progress drags applied, so faders move and the engine
 * ramps at frame rate while the document only gets ~10 commits a second. Awareness is
 * untrusted: unknown targets and params are ignored, values are clamped like the ops do.
 */
export function applyRemoteGestures(state: MixState, gestures: Iterable<GestureAwarenessState>): MixState {
  let out = state;
  for (const g of gestures) {
    const target = decodeGestureTarget(g.target);
    if (target === null) continue;
    // An EQ point moves frequency and gain together: both or neither is shown.
    for (const { param, value } of g.also ? [g, g.also] : [g]) out = applyOne(out, target, param, value);
  }
  return out;
}

function applyOne(out: MixState, target: NonNullable<ReturnType<typeof decodeGestureTarget>>, param: string, value: number): MixState {
  if (target.kind === 'send') {
    const v = coerce(SEND_PARAMS, param, value);
    if (v === null) return out;
    const { fromId, busId } = target;
    const patch = <S extends { id: string; sends: MixState['tracks'][number]['sends'] }>(s: S): S =>
      s.id === fromId ? { ...s, sends: s.sends.map((x) => (x.bus === busId ? { ...x, [param]: v } : x)) } : s;
    return { ...out, tracks: out.tracks.map(patch), buses: out.buses.map(patch) };
  }
  if (target.kind === 'master') {
    const v = coerce(MASTER_PARAMS, param, value);
    return v === null ? out : { ...out, master: withPath(out.master, param.split('.'), v) };
  }
  if (out.tracks.some((t) => t.id === target.id)) {
    const v = coerce(TRACK_PARAMS, param, value);
    return v === null ? out : { ...out, tracks: out.tracks.map((t) => (t.id === target.id ? withPath(t, param.split('.'), v) : t)) };
  }
  if (out.buses.some((b) => b.id === target.id)) {
    const v = coerce(BUS_PARAMS, param, value);
    return v === null ? out : { ...out, buses: out.buses.map((b) => (b.id === target.id ? withPath(b, param.split('.'), v) : b)) };
  }
  return out;
}
