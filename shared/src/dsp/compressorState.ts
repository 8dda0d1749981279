import { slotIndex } from './slotIndex.ts';

/**
 * The compressor's state block: one float64 per name, in this order. First its audio state
 * (the smoothed gain reduction in dB, the RMS detector's mean square), then the constants of
 * its steady path. `CompressorProcessor` keeps its state in this layout, the bake's
 * WebAssembly twin reads the same block from its chain program, and the twin's constants
 * (`COMP_*` in shared/src/dsp/chainProgram.generated.as.ts) are generated from this list: reorder or
 * add a slot here, then run `pnpm --filter @mixroom/server build:wasm`.
 *
 * releaseCoef, releaseComplement, attackCoef, attackComplement stay consecutive in this
 * order: both kernels pick the pair at releaseCoef + 2·(target > reduction).
 */
export const COMPRESSOR_STATE_SLOTS = [
  'gainReduction',
  'meanSquare',
  'threshold',
  'knee',
  'halfKnee',
  'negSlope',
  'kneeCoef',
  'kneeStart',
  'kneeStartSq',
  'makeupDb',
  'makeupLin',
  'releaseCoef',
  'releaseComplement',
  'attackCoef',
  'attackComplement',
  'rmsCoef',
  'dbPerNeper',
  'neperPerDb',
] as const;

export type CompressorStateSlot = (typeof COMPRESSOR_STATE_SLOTS)[number];

/** Index of each slot in the block. */
export const COMPRESSOR_SLOT = slotIndex(COMPRESSOR_STATE_SLOTS);
