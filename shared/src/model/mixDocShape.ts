import type { BusState, MasterState, SendState, SessionState, TrackState } from './MixState.ts';

/**
 * The Yjs layout, as plain objects: every nested plain object below becomes a nested
 * Y.Map (created once, so concurrent edits of different params merge), every other value
 * is a leaf. Arrays of MixState become maps keyed by a stable key: EQ bands by '0'..'3',
 * sends by bus id (one send per bus; concurrent adds of the same send converge by
 * last-writer-wins instead of duplicating).
 *
 * ```
 * mix (root Y.Map, doc.getMap('mix'))
 *   session: { title, sampleRate, schemaVersion, tempo }
 *   tracks:  { [id]: { id, name, stem (leaf object|null), color, order, trim, polarity, gain,
 *              mute, solo, soloSafe, pan, panLaw, output,
 *              eq: { hpf: {on,freq,q}, lpf: {on,freq,q}, bands: { '0'..'3': {on,type,freq,gain,q} } },
 *              comp: {on,threshold,ratio,attack,release,knee,makeup,sidechain},
 *              sat: {on,drive,mix}, sends: { [busId]: {level,pre,on} } } }
 *   buses:   { [id]: { id, name, kind, color, order, gain, mute, solo, soloSafe, pan, panLaw, output,
 *              effect: {type, ...params} | null, sends: { [busId]: {level,pre,on} } } }
 *   master:  { gain, glue: {...}, limiter: {...} }
 * ```
 */
export interface DocShape {
  [key: string]: DocShape | DocLeaf;
}
export type DocLeaf = string | number | boolean | null | { readonly [key: string]: unknown };

/** Root map name: the whole mix lives under `doc.getMap(MIX_ROOT)`. */
export const MIX_ROOT = 'mix';

/** Keys whose object values are stored as one leaf (replaced whole), not as a Y.Map. */
export const ATOMIC_KEYS: ReadonlySet<string> = new Set(['stem']);

/** Sends as stored: a map keyed by bus id. */
export function sendsToDocShape(sends: readonly SendState[]): DocShape {
  const out: DocShape = {};
  for (const s of sends) out[s.bus] = { level: s.level, pre: s.pre, on: s.on };
  return out;
}

/** A track as stored (see the layout above). */
export function trackToDocShape(t: TrackState): DocShape {
  const [b0, b1, b2, b3] = t.eq.bands;
  return {
    id: t.id,
    name: t.name,
    stem: t.stem ? { ...t.stem } : null,
    color: t.color,
    order: t.order,
    trim: t.trim,
    polarity: t.polarity,
    gain: t.gain,
    mute: t.mute,
    solo: t.solo,
    soloSafe: t.soloSafe,
    pan: t.pan,
    panLaw: t.panLaw,
    output: t.output,
    eq: {
      hpf: { ...t.eq.hpf },
      lpf: { ...t.eq.lpf },
      bands: { '0': { ...b0 }, '1': { ...b1 }, '2': { ...b2 }, '3': { ...b3 } },
    },
    comp: { ...t.comp },
    sat: { ...t.sat },
    sends: sendsToDocShape(t.sends),
  };
}

/** A bus as stored. */
export function busToDocShape(b: BusState): DocShape {
  return {
    id: b.id,
    name: b.name,
    kind: b.kind,
    color: b.color,
    order: b.order,
    gain: b.gain,
    mute: b.mute,
    solo: b.solo,
    soloSafe: b.soloSafe,
    pan: b.pan,
    panLaw: b.panLaw,
    output: b.output,
    effect: b.effect ? { ...b.effect } : null,
    sends: sendsToDocShape(b.sends),
  };
}

/** The master as stored. */
export function masterToDocShape(m: MasterState): DocShape {
  return { gain: m.gain, glue: { ...m.glue }, limiter: { ...m.limiter } };
}

/** The session as stored. */
export function sessionToDocShape(s: SessionState): DocShape {
  return { ...s };
}
