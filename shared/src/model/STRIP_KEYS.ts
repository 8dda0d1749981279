import type { DocShape } from './DocShape.ts';
import { busToDocShape, defaultBus, defaultDelay, defaultReverb } from './BusRecord.ts';
import { defaultMaster, masterToDocShape } from './MasterRecord.ts';
import { ATOMIC_KEYS, LEAF_MAP_KEYS } from './mixDocShape.ts';
import { defaultSend, sendsToDocShape } from './SendRecord.ts';
import { defaultTrack, trackToDocShape } from './TrackRecord.ts';

/**
 * The keys a stored record's Y.Map may hold: `null` for a leaf (any value), a nested KeyShape
 * for a nested Y.Map. `'*'` stands for any key (sends by bus id, automation points by id).
 */
export interface KeyShape {
  readonly [key: string]: KeyShape | null;
}

/** Every key of a stored record, from its stored form (nested plain objects are nested maps). */
function keyShapeOf(shape: DocShape): Record<string, KeyShape | null> {
  const keys: Record<string, KeyShape | null> = {};
  for (const [key, value] of Object.entries(shape)) {
    const nested = typeof value === 'object' && value !== null && !Array.isArray(value) && !ATOMIC_KEYS.has(key);
    keys[key] = nested ? keyShapeOf(value as DocShape) : null;
  }
  return keys;
}

/** Automation points, keyed by point id, each a leaf (repairAutomation judges them). */
const LEAF_MAPS: KeyShape = Object.fromEntries([...LEAF_MAP_KEYS].map((key) => [key, { '*': null }]));
/** Sends, keyed by bus id (repairCaps drops ids of no bus), and the lanes. */
const STRIP_MAPS: KeyShape = { sends: { '*': keyShapeOf(sendsToDocShape([defaultSend('b')]).b as DocShape) }, ...LEAF_MAPS };

/**
 * The keys each strip of the mix document may hold, derived from its record's stored form
 * (TrackRecord, BusRecord, MasterRecord), so a parameter added to a table is known here at
 * once. A client writing around shared/ops could otherwise add any number of other keys,
 * bounded only by MAX_ROOM_BYTES; repairCaps deletes them. A bus's effect holds the keys of
 * either effect type (setBusEffectType replaces it whole).
 */
export const STRIP_KEYS: { readonly track: KeyShape; readonly bus: KeyShape; readonly master: KeyShape } = {
  track: { ...keyShapeOf(trackToDocShape(defaultTrack('t', 't', null, 0))), ...STRIP_MAPS },
  bus: {
    ...keyShapeOf(busToDocShape(defaultBus('b', 'b', 'aux', 0))),
    ...STRIP_MAPS,
    effect: { ...keyShapeOf(defaultReverb() as unknown as DocShape), ...keyShapeOf(defaultDelay() as unknown as DocShape) },
  },
  master: { ...keyShapeOf(masterToDocShape(defaultMaster())), ...LEAF_MAPS },
};
