import { slotIndex } from './slotIndex.ts';

/**
 * The gate's state block: one float64 per name, in this order. First its audio state (the
 * smoothed gain in dB at the last control step, open, hold frames left, the meter's peak, the
 * frame's place in its control sub-block, the key's peak in the sub-block so far, the linear
 * gain the running sub-block glides from and to, the key filter's state), then the
 * constants of its curve, times (the smoothing coefficients are per sub-block) and key filter. `GateProcessor` keeps its state in
 * this layout and the bake's WebAssembly twin (shared/src/dsp/gate.as.ts, `runGate`)
 * reads the same block from its chain program; its `GATE_*` constants are generated from
 * this list: reorder or add a slot here, then run `pnpm --filter @mixroom/server build:wasm`.
 *
 * releaseCoef, releaseComplement, attackCoef, attackComplement stay consecutive in this
 * order: both kernels pick the pair at releaseCoef + 2·(target > gain). The key high-pass
 * is b0, a1, a2 of its biquad and c1 = b1 − a1·b0, c2 = b2 − a2·b0: the input gains of its
 * two states once its output is substituted (gate.ts, `run`).
 */
export const GATE_STATE_SLOTS = [
  'gainDb',
  'open',
  'hold',
  'grPeak',
  'phase',
  'keyPeak',
  'gainFrom',
  'gainTo',
  'z0',
  'z1',
  'z2',
  'z3',
  'openLevel',
  'closeLevel',
  'floorLevel',
  'threshold',
  'range',
  'slope',
  'rangeLin',
  'holdFrames',
  'releaseCoef',
  'releaseComplement',
  'attackCoef',
  'attackComplement',
  'b0',
  'c1',
  'c2',
  'a1',
  'a2',
] as const;

export type GateStateSlot = (typeof GATE_STATE_SLOTS)[number];

/** Index of each slot in the block. */
export const GATE_SLOT = slotIndex(GATE_STATE_SLOTS);
