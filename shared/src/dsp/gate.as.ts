// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/gate.ts for a gate keyed
// by its own input, a GATE op in a group of its own. Its state block is shared/src/dsp/gateState.ts.

import {
  PAYLOAD, GATE_GAIN_DB, GATE_OPEN, GATE_HOLD, GATE_GR_PEAK, GATE_Z0, GATE_Z1, GATE_Z2, GATE_Z3,
  GATE_OPEN_LEVEL, GATE_CLOSE_LEVEL, GATE_FLOOR_LEVEL, GATE_THRESHOLD, GATE_RANGE, GATE_SLOPE,
  GATE_RANGE_LIN, GATE_HOLD_FRAMES, GATE_RELEASE_COEF, GATE_B0, GATE_C1, GATE_C2, GATE_A1, GATE_A2,
} from './chainProgram.generated.as';
import { pair, slot } from './chainLanes.as';
import { dlog } from './deterministicLog.as';
import { dexp } from './deterministicExp.as';

const GATE_DB_PER_NEPER: f64 = 20 / 2.302585092994046; // 20 / Math.LN10, as gate.ts computes it
const GATE_NEPER_PER_DB: f64 = 2.302585092994046 / 20;
const GATE_LEVEL_BIAS: f64 = 1e-30;
const GATE_SNAP_DB: f64 = 1e-9;
const GATE_DENORMAL_GUARD: f64 = 1e-20;
const GATE_KEY_CEIL: f64 = 1e30;

/**
 * The gate at `p` over the block: shared/dsp/gate.ts's `run` operation for operation, per
 * sample: the key high-pass with the two key channels in the lanes of one register (each
 * lane's arithmetic is the JavaScript's for that channel), the linked peak, open / hold /
 * close, the expander's target, the branching one-pole in dB, the gain. The rest is scalar:
 * its state machine and recursion leave little to vectorise. The key is the input itself
 * (keyL == inL: a GATE op in a group of its own) or another track's signal (a gate keyed
 * by a sidechain, createKeyedGateKernel.ts). A mono key has keyR == keyL: its second lane
 * runs on the same samples and is dropped (its state is left as it was, as the JavaScript
 * never touches it); a mono input has inR == inL and outR == outL.
 *
 * As gate.ts does, a gate settled open at unity or closed at the range runs a short loop
 * of the key filter and the one comparison that could end that state (`settledRun`); the
 * sample that ends it is done again by the general loop, so every sample is the general
 * code's.
 */
export function runGate(p: usize, keyL: usize, keyR: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  const b0 = f64x2.splat(slot(p, GATE_B0));
  const c1 = f64x2.splat(slot(p, GATE_C1));
  const c2 = f64x2.splat(slot(p, GATE_C2));
  const a1 = f64x2.splat(slot(p, GATE_A1));
  const a2 = f64x2.splat(slot(p, GATE_A2));
  const guard = f64x2.splat(GATE_DENORMAL_GUARD);
  const ceil = f64x2.splat(GATE_KEY_CEIL);
  const openLevel = slot(p, GATE_OPEN_LEVEL);
  const closeLevel = slot(p, GATE_CLOSE_LEVEL);
  const floorLevel = slot(p, GATE_FLOOR_LEVEL);
  const T = slot(p, GATE_THRESHOLD);
  const G = slot(p, GATE_RANGE);
  const slope = slot(p, GATE_SLOPE);
  const rangeLin = slot(p, GATE_RANGE_LIN);
  const holdFrames = slot(p, GATE_HOLD_FRAMES);
  const relCoef = slot(p, GATE_RELEASE_COEF);
  const relComp = slot(p, GATE_RELEASE_COEF + 1);
  const attCoef = slot(p, GATE_RELEASE_COEF + 2);
  const attComp = slot(p, GATE_RELEASE_COEF + 3);
  const stereo = keyR != keyL;
  const keyed = keyL != inL || keyR != inR;
  const n = <usize>frames;
  // The key filter's state, channel 0 in lane 0 and channel 1 in lane 1: z1 (gate.ts's
  // z0, z2) and z2 (its z1, z3).
  let za = pair(slot(p, GATE_Z0), slot(p, GATE_Z2));
  let zb = pair(slot(p, GATE_Z1), slot(p, GATE_Z3));
  let g = slot(p, GATE_GAIN_DB);
  let open = slot(p, GATE_OPEN);
  let hold = slot(p, GATE_HOLD);
  let grPeak = slot(p, GATE_GR_PEAK);
  let i: usize = 0;
  while (i < n) {
    const openSettled = open == 1 && g == 0;
    if (openSettled || (open == 0 && g == G)) {
      // Settled: the key filter, and the one test that could end this state, per sample.
      const gain = f64x2.splat(openSettled || g == 0 ? 1 : rangeLin);
      const from = i;
      for (; i < n; i++) {
        const at = i << 2;
        const x = pair(<f64>load<f32>(inL + at), <f64>load<f32>(inR + at));
        const k = keyed ? pair(<f64>load<f32>(keyL + at), <f64>load<f32>(keyR + at)) : x;
        const h = f64x2.add(f64x2.mul(b0, k), za);
        const ah = f64x2.abs(h);
        // An infinite or NaN key sample goes to the general loop.
        if (v128.any_true(v128.not(f64x2.lt(ah, ceil)))) break;
        let pk = f64x2.extract_lane(ah, 0);
        if (stereo) {
          const d = f64x2.extract_lane(ah, 1) - pk;
          pk += 0.5 * (d + Math.abs(d));
        }
        if (openSettled) {
          // Stays open (target 0, gain 1) while the key holds the close level or the hold runs.
          if (!(pk >= closeLevel || hold > 0)) break;
          hold = pk >= closeLevel ? holdFrames : hold - 1;
        } else if (!(pk < openLevel && pk <= floorLevel)) break; // stays closed at the range
        const u = f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(c1, k), zb), guard), guard);
        zb = f64x2.sub(f64x2.mul(c2, k), f64x2.mul(a2, za));
        za = f64x2.sub(u, f64x2.mul(a1, za));
        const y = f32x4.demote_f64x2_zero(f64x2.mul(x, gain));
        v128.store32_lane(outL + at, y, 0);
        v128.store32_lane(outR + at, y, 1);
      }
      if (i > from) {
        // What the general code leaves: an open gate's gain is +0; a closed one's meter has seen the range.
        if (openSettled) g = 0;
        else if (-g > grPeak) grPeak = -g;
      }
      if (i == n) break;
    }
    // The general code, until the gate settles again.
    for (; i < n; i++) {
      const at = i << 2;
      const x = pair(<f64>load<f32>(inL + at), <f64>load<f32>(inR + at));
      const k = keyed ? pair(<f64>load<f32>(keyL + at), <f64>load<f32>(keyR + at)) : x;
      // Key high-pass (gate.ts's transposed direct form II with h substituted into the
      // states), the first state's input through the denormal guard.
      let h = f64x2.add(f64x2.mul(b0, k), za);
      const u = f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(c1, k), zb), guard), guard);
      zb = f64x2.sub(f64x2.mul(c2, k), f64x2.mul(a2, za));
      za = f64x2.sub(u, f64x2.mul(a1, za));
      const out = v128.not(f64x2.lt(f64x2.abs(h), ceil));
      if (v128.any_true(out)) {
        // An infinite or NaN key sample: it opens the gate (as a huge peak) and the filter restarts.
        h = v128.bitselect(ceil, h, out);
        za = v128.andnot(za, out);
        zb = v128.andnot(zb, out);
      }
      const ah = f64x2.abs(h);
      let pk = f64x2.extract_lane(ah, 0);
      if (stereo) {
        const d = f64x2.extract_lane(ah, 1) - pk;
        pk += 0.5 * (d + Math.abs(d));
      }
      if (pk >= openLevel) open = 1;
      if (open == 1) {
        if (pk >= closeLevel) hold = holdFrames;
        else if (hold > 0) hold -= 1;
        else open = 0;
      }
      let target: f64 = 0;
      if (open == 0) {
        target = G;
        if (pk > floorLevel) {
          const e = slope * (GATE_DB_PER_NEPER * dlog(pk + GATE_LEVEL_BIAS) - T);
          if (e > G) target = e;
        }
      }
      const up = target > g;
      g = select<f64>(attCoef, relCoef, up) * g + select<f64>(attComp, relComp, up) * target;
      const dg = g - target;
      if (dg < GATE_SNAP_DB && dg > -GATE_SNAP_DB) g = target;
      if (-g > grPeak) grPeak = -g;
      const gain = g == 0 ? 1 : g == G ? rangeLin : dexp(g * GATE_NEPER_PER_DB);
      // A mono output's two stores go to the one buffer, with the same value.
      const y = f32x4.demote_f64x2_zero(f64x2.mul(x, f64x2.splat(gain)));
      v128.store32_lane(outL + at, y, 0);
      v128.store32_lane(outR + at, y, 1);
      if ((open == 1 && g == 0) || (open == 0 && g == G)) {
        i++;
        break;
      }
    }
  }
  store<f64>(p + PAYLOAD + (<usize>GATE_Z0 << 3), f64x2.extract_lane(za, 0));
  store<f64>(p + PAYLOAD + (<usize>GATE_Z1 << 3), f64x2.extract_lane(zb, 0));
  if (stereo) {
    store<f64>(p + PAYLOAD + (<usize>GATE_Z2 << 3), f64x2.extract_lane(za, 1));
    store<f64>(p + PAYLOAD + (<usize>GATE_Z3 << 3), f64x2.extract_lane(zb, 1));
  }
  store<f64>(p + PAYLOAD + (<usize>GATE_GAIN_DB << 3), g);
  store<f64>(p + PAYLOAD + (<usize>GATE_OPEN << 3), open);
  store<f64>(p + PAYLOAD + (<usize>GATE_HOLD << 3), hold);
  store<f64>(p + PAYLOAD + (<usize>GATE_GR_PEAK << 3), grPeak);
}
