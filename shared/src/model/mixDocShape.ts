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
 *              deess: {on,mode,freq,threshold,range},
 *              sat: {on,drive,mix},
 *              gate: {on,threshold,range,ratio,attack,hold,release,hysteresis,scHpf,sidechain},
 *              sends: { [busId]: {level,pre,on} },
 *              automation: { [pointId]: {param,time,value,curve} (leaf) } } }
 *   buses:   { [id]: { id, name, kind, color, order, gain, mute, solo, soloSafe, pan, panLaw, output,
 *              effect: {type, ...params} | null, sends: { [busId]: {level,pre,on} },
 *              automation: { [pointId]: {...} (leaf) } } }
 *   master:  { gain, glue: {...}, limiter: {...}, automation: { [pointId]: {...} (leaf) } }
 * ```
 *
 * Each record's parameters are laid out by its table (TrackSpec.ts and siblings).
 */
export type { DocLeaf, DocShape } from './DocShape.ts';

/** Root map name: the whole mix lives under `doc.getMap(MIX_ROOT)`. */
export const MIX_ROOT = 'mix';

/** Keys whose object values are stored as one leaf (replaced whole), not as a Y.Map. */
export const ATOMIC_KEYS: ReadonlySet<string> = new Set(['stem']);

/**
 * Keys whose Y.Map holds only leaves: a strip's automation points, keyed by point id, each
 * replaced whole (see AutomationRecord.ts).
 */
export const LEAF_MAP_KEYS: ReadonlySet<string> = new Set(['automation']);

// Each record writes its own stored form, from its parameter table.
export { trackToDocShape } from './TrackRecord.ts';
export { busToDocShape } from './BusRecord.ts';
export { sendsToDocShape } from './SendRecord.ts';
export { masterToDocShape } from './MasterRecord.ts';
export { sessionToDocShape } from './SessionRecord.ts';
