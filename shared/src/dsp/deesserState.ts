import { slotIndex } from './slotIndex.ts';

/**
 * The de-esser's state block: one float64 per name, in this order. First its audio state
 * (the smoothed gain reduction in dB at the last control step, the meter's peak, the frame's
 * place in its sub-block, the band peak of the sub-block so far, the gain − 1 the running
 * sub-block glides from and to, the band-pass's history per channel), then the constants of
 * its steady path (the smoothing coefficients are per control step: per sub-block). `DeesserProcessor` keeps its state in
 * this layout (its band-pass history stays in its BiquadProcessor and is copied in by
 * `steadyState()`), and the bake's WebAssembly twin (shared/src/dsp/deesser.as.ts,
 * `runDeesser`) reads the same block from its chain program; its `DEESS_*` constants are
 * generated from this list: reorder or add a slot here, then run
 * `pnpm --filter @mixroom/server build:wasm`.
 *
 * The band-pass history is (left, right) pairs, as the twin holds the two channels in one
 * register. releaseCoef, releaseComplement, attackCoef, attackComplement stay consecutive in
 * this order: both kernels pick the pair at releaseCoef + 2·(target > reduction).
 */
export const DEESSER_STATE_SLOTS = [
  'gainReduction',
  'grPeak',
  'phase',
  'blockPeak',
  'gm1From',
  'gm1To',
  'x1L',
  'x1R',
  'x2L',
  'x2R',
  'y1L',
  'y1R',
  'y2L',
  'y2R',
  'thresholdLin',
  'threshold',
  'range',
  'wide',
  'releaseCoef',
  'releaseComplement',
  'attackCoef',
  'attackComplement',
  'negSlope',
  'dbPerNeper',
  'neperPerDb',
  'b0',
  'b1',
  'b2',
  'a1',
  'a2',
] as const;

export type DeesserStateSlot = (typeof DEESSER_STATE_SLOTS)[number];

/** Index of each slot in the block. */
export const DEESSER_SLOT = slotIndex(DEESSER_STATE_SLOTS);
