import type * as Y from 'yjs';
import type { MixState } from './MixState.ts';
import { getMixRoot } from './mixDocAccessors.ts';
import { repairMixState } from './repairMixState.ts';
import { sanitizeMixState } from './sanitizeMixState.ts';

/**
 * A plain snapshot of the mix, always valid (validateMixState passes): missing keys read
 * as defaults, numbers are clamped to their ranges, tracks and buses are sorted by
 * (order, id), and broken references left by a merge read as already repaired (the doc
 * itself is fixed by repairMix). Works on an empty, uninitialised document too.
 */
export function readMixState(doc: Y.Doc): MixState {
  return repairMixState(sanitizeMixState(getMixRoot(doc).toJSON())).state;
}
