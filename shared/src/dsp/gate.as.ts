// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/gate.ts for a gate keyed
// by its own input, a GATE op in a group of its own. Its state block is shared/src/dsp/gateState.ts.

import {
  PAYLOAD, GATE_GAIN_DB, GATE_OPEN, GATE_HOLD, GATE_GR_PEAK, GATE_Z0, GATE_Z1, GATE_Z2, GATE_Z3,
  GATE_OPEN_LEVEL, GATE_CLOSE_LEVEL, GATE_FLOOR_LEVEL, GATE_THRESHOLD, GATE_RANGE, GATE_SLOPE,
  GATE_RANGE_LIN, GATE_HOLD_FRAMES, GATE_RELEASE_COEF, GATE_B0, GATE_B1, GATE_B2, GATE_A1, GATE_A2,
} from './chainProgram.generated.as';
import { slot } from './chainLanes.as';
import { dlog } from './deterministicLog.as';
import { dexp } from './deterministicExp.as';

const GATE_DB_PER_NEPER: f64 = 20 / 2.302585092994046; // 20 / Math.LN10, as gate.ts computes it
const GATE_NEPER_PER_DB: f64 = 2.302585092994046 / 20;
const GATE_LEVEL_BIAS: f64 = 1e-30;
const GATE_SNAP_DB: f64 = 1e-9;
const GATE_DENORMAL_GUARD: f64 = 1e-20;
const GATE_KEY_CEIL: f64 = 1e30;

/**
 * A group that is one gate keyed by its own input: shared/dsp/gate.ts's `run` operation
 * for operation, per sample (the key high-pass per channel, the linked peak, open / hold /
 * close, the expander's target, the branching one-pole in dB, the gain), scalar: its
 * state machine and recursions leave little to vectorise. A mono input has inR == inL.
 */
export function runGate(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  const b0 = slot(p, GATE_B0);
  const b1 = slot(p, GATE_B1);
  const b2 = slot(p, GATE_B2);
  const a1 = slot(p, GATE_A1);
  const a2 = slot(p, GATE_A2);
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
  const stereo = inR != inL;
  let z0 = slot(p, GATE_Z0);
  let z1 = slot(p, GATE_Z1);
  let z2 = slot(p, GATE_Z2);
  let z3 = slot(p, GATE_Z3);
  let g = slot(p, GATE_GAIN_DB);
  let open = slot(p, GATE_OPEN);
  let hold = slot(p, GATE_HOLD);
  let grPeak = slot(p, GATE_GR_PEAK);
  for (let i: usize = 0; i < <usize>frames; i++) {
    const at = i << 2;
    const x0 = <f64>load<f32>(inL + at);
    const x1 = <f64>load<f32>(inR + at);
    let h0 = b0 * x0 + z0;
    z0 = b1 * x0 - a1 * h0 + z1 + GATE_DENORMAL_GUARD - GATE_DENORMAL_GUARD;
    z1 = b2 * x0 - a2 * h0 + GATE_DENORMAL_GUARD - GATE_DENORMAL_GUARD;
    if (!(Math.abs(h0) < GATE_KEY_CEIL)) {
      h0 = GATE_KEY_CEIL;
      z0 = 0;
      z1 = 0;
    }
    let pk = Math.abs(h0);
    if (stereo) {
      let h1 = b0 * x1 + z2;
      z2 = b1 * x1 - a1 * h1 + z3 + GATE_DENORMAL_GUARD - GATE_DENORMAL_GUARD;
      z3 = b2 * x1 - a2 * h1 + GATE_DENORMAL_GUARD - GATE_DENORMAL_GUARD;
      if (!(Math.abs(h1) < GATE_KEY_CEIL)) {
        h1 = GATE_KEY_CEIL;
        z2 = 0;
        z3 = 0;
      }
      const d = Math.abs(h1) - pk;
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
    store<f32>(outL + at, <f32>(x0 * gain));
    if (stereo) store<f32>(outR + at, <f32>(x1 * gain));
  }
  store<f64>(p + PAYLOAD + (<usize>GATE_Z0 << 3), z0);
  store<f64>(p + PAYLOAD + (<usize>GATE_Z1 << 3), z1);
  store<f64>(p + PAYLOAD + (<usize>GATE_Z2 << 3), z2);
  store<f64>(p + PAYLOAD + (<usize>GATE_Z3 << 3), z3);
  store<f64>(p + PAYLOAD + (<usize>GATE_GAIN_DB << 3), g);
  store<f64>(p + PAYLOAD + (<usize>GATE_OPEN << 3), open);
  store<f64>(p + PAYLOAD + (<usize>GATE_HOLD << 3), hold);
  store<f64>(p + PAYLOAD + (<usize>GATE_GR_PEAK << 3), grPeak);
}
