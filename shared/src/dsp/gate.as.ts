// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/gate.ts for a gate keyed
// by its own input, a GATE op in a group of its own. Its state block is shared/src/dsp/gateState.ts.

import {
  PAYLOAD, GATE_GAIN_DB, GATE_OPEN, GATE_HOLD, GATE_GR_PEAK, GATE_PHASE, GATE_KEY_PEAK, GATE_GAIN_FROM, GATE_GAIN_TO,
  GATE_Z0, GATE_Z1, GATE_Z2, GATE_Z3, GATE_OPEN_LEVEL, GATE_CLOSE_LEVEL, GATE_FLOOR_LEVEL, GATE_THRESHOLD, GATE_RANGE,
  GATE_SLOPE, GATE_RANGE_LIN, GATE_HOLD_FRAMES, GATE_RELEASE_COEF, GATE_B0, GATE_C1, GATE_C2, GATE_A1, GATE_A2,
  GAIN, GAIN_BYTES, BIQUAD_BYTES, BIQUAD_X1, BIQUAD_X2, BIQUAD_Y1, BIQUAD_Y2, SEND, ARG0, ARG1,
} from './chainProgram.generated.as';
import { biquad, eqInput, eqOutput, pipelineDrain, pipelineFill, saveBiquad } from './BiquadCascade.as';
import { pair, scratch, slot } from './chainLanes.as';
import { dlog } from './deterministicLog.as';
import { dexp } from './deterministicExp.as';

const GATE_DB_PER_NEPER: f64 = 20 / 2.302585092994046; // 20 / Math.LN10, as gate.ts computes it
const GATE_NEPER_PER_DB: f64 = 2.302585092994046 / 20;
const GATE_LEVEL_BIAS: f64 = 1e-30;
const GATE_SNAP_DB: f64 = 1e-9;
const GATE_DENORMAL_GUARD: f64 = 1e-20;
const GATE_KEY_CEIL: f64 = 1e30;
/** controlSubBlock.ts's CONTROL_SUB_BLOCK: frames per control step. */
const GATE_SUB: f64 = 16;
/** 1/16: (k + 1)·(1/16) is CONTROL_GLIDE[k] = (k + 1)/16 exactly (powers of two). */
const GATE_INV_SUB: f64 = 0.0625;

/**
 * The gate at `p` over the block: shared/dsp/gate.ts's `run` operation for operation. Per
 * sample: the key high-pass with the two key channels in the lanes of one register (each
 * lane's arithmetic is the JavaScript's for that channel), each lane's running |h| peak
 * (f64x2.pmax: the JavaScript's `>`), the output with the gain gliding across the control
 * sub-block. At each sub-block's last frame (the phase createChainKernel.ts or
 * createKeyedGateKernel.ts writes from the song frame): open / hold / close on the
 * sub-block's peak (the lanes' larger; lane 0 alone for a mono key), the expander's target,
 * the branching one-pole in dB, the next gain. The key is the input itself (keyL == inL: a
 * GATE op in a group of its own) or another track's signal (a gate keyed by a sidechain,
 * createKeyedGateKernel.ts). A mono key has keyR == keyL: its second lane runs on the same
 * samples and is dropped (its state is left as it was, as the JavaScript never touches it);
 * a mono input has inR == inL and outR == outL.
 */
export function runGate(p: usize, keyL: usize, keyR: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  gate(p, false, 0, false, 0, keyL, keyR, inL, inR, outL, outR, 0, frames);
}

/**
 * An EQ section of one biquad (an optional trim GAIN, then a BIQUAD: a strip's HPF) at `eq`
 * and the gate group after it at `p`, in one loop: per frame runEq's arithmetic on the
 * input, then the gate on its result, which is the gate's own key (runGate with keyL ==
 * inL). The same samples as the two groups one after the other; the section's output is
 * never stored (the gate's output overwrote it), and the biquad's recursion and the key
 * filter's overlap instead of each being a latency-bound pass of its own.
 */
export function runEqGate(eq: usize, p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  gate(p, true, eq, false, 0, keyOf(p, 0, inL), keyOf(p, 1, inR), inL, inR, outL, outR, 0, frames);
}

/** The gate op's key channel `c` (its argument 0 or 1), or `own` when it is keyed by its input (0). */
@inline function keyOf(p: usize, c: i32, own: usize): usize {
  const keyL = <usize>load<i32>(p, ARG0);
  return keyL == 0 ? own : c == 0 ? keyL : <usize>load<i32>(p, ARG1);
}

/**
 * runEqGate, then an EQ section of four biquads at `q` (a strip's EQ bands) in the same
 * loop, software-pipelined as runEqPipelined4 (biquad k on frame i - k) with the gate's
 * output as its input: the six recursions (HPF, key filter, four bands) of a frame run side
 * by side. The pipeline fills from the first three frames' gate outputs (stored, as the
 * groups one after the other store them) and drains from the biquads' states, as runEq's.
 * The same samples as the three groups in turn. Needs frames >= 8 (runEq's 2n).
 */
export function runEqGateEq4(eq: usize, p: usize, q: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  const keyL = keyOf(p, 0, inL);
  const keyR = keyOf(p, 1, inR);
  gate(p, true, eq, false, 0, keyL, keyR, inL, inR, outL, outR, 0, 3);
  pipelineFill(f64x2.splat(1), q, 4, outL, outR);
  gate(p, true, eq, true, q, keyL, keyR, inL, inR, outL, outR, 3, frames);
  pipelineDrain(q, 4, outL, outR, <usize>frames);
}

/**
 * runGate's loop over frames [from, frames): after an EQ section of one biquad at `eq` when
 * `withEq`, and feeding a pipelined EQ section of four biquads at `q` when `withEq4`
 * (constants: each caller gets its own loop).
 */
@inline function gate(p: usize, withEq: bool, eq: usize, withEq4: bool, q: usize, keyL: usize, keyR: usize, inL: usize, inR: usize, outL: usize, outR: usize, from: usize, frames: i32): void {
  const eqHasGain = withEq && load<i32>(eq) == GAIN;
  const eqGain = eqHasGain ? v128.load(eq, PAYLOAD) : f64x2.splat(1);
  const c = eqHasGain ? eq + GAIN_BYTES : eq;
  let ex1 = withEq ? v128.load(c, BIQUAD_X1) : f64x2.splat(0);
  let ex2 = withEq ? v128.load(c, BIQUAD_X2) : f64x2.splat(0);
  let ey1 = withEq ? v128.load(c, BIQUAD_Y1) : f64x2.splat(0);
  let ey2 = withEq ? v128.load(c, BIQUAD_Y2) : f64x2.splat(0);
  // A tap after the biquad (a SEND of gain 1: another gate's key), runGroup's SEND arithmetic.
  const tap: usize = withEq && load<i32>(c + BIQUAD_BYTES) == SEND ? c + BIQUAD_BYTES : 0;
  const tapL: usize = tap != 0 ? <usize>load<i32>(tap, ARG0) : 0;
  const tapR: usize = tap != 0 ? <usize>load<i32>(tap, ARG1) : 0;
  const tapGain = tap != 0 ? v128.load(tap, PAYLOAD) : f64x2.splat(1);
  // runEqPipelined4's registers (its op states after pipelineFill).
  const q1 = q + BIQUAD_BYTES;
  const q2 = q + 2 * BIQUAD_BYTES;
  const q3 = q + 3 * BIQUAD_BYTES;
  let qx1 = withEq4 ? v128.load(q, BIQUAD_X1) : f64x2.splat(0);
  let qx2 = withEq4 ? v128.load(q, BIQUAD_X2) : f64x2.splat(0);
  let qa1 = withEq4 ? v128.load(q, BIQUAD_Y1) : f64x2.splat(0);
  let qa2 = withEq4 ? v128.load(q, BIQUAD_Y2) : f64x2.splat(0);
  let qa3 = withEq4 ? v128.load(q1, BIQUAD_X2) : f64x2.splat(0);
  let qb1 = withEq4 ? v128.load(q1, BIQUAD_Y1) : f64x2.splat(0);
  let qb2 = withEq4 ? v128.load(q1, BIQUAD_Y2) : f64x2.splat(0);
  let qb3 = withEq4 ? v128.load(q2, BIQUAD_X2) : f64x2.splat(0);
  let qd1 = withEq4 ? v128.load(q2, BIQUAD_Y1) : f64x2.splat(0);
  let qd2 = withEq4 ? v128.load(q2, BIQUAD_Y2) : f64x2.splat(0);
  let qd3 = withEq4 ? v128.load(q3, BIQUAD_X2) : f64x2.splat(0);
  let qe1 = withEq4 ? v128.load(q3, BIQUAD_Y1) : f64x2.splat(0);
  let qe2 = withEq4 ? v128.load(q3, BIQUAD_Y2) : f64x2.splat(0);
  const b0 = f64x2.splat(slot(p, GATE_B0));
  const c1 = f64x2.splat(slot(p, GATE_C1));
  const c2 = f64x2.splat(slot(p, GATE_C2));
  const a1 = f64x2.splat(slot(p, GATE_A1));
  const a2 = f64x2.splat(slot(p, GATE_A2));
  const guard = f64x2.splat(GATE_DENORMAL_GUARD);
  const ceil = f64x2.splat(GATE_KEY_CEIL);
  const inf = f64x2.splat(Infinity);
  // The segment's key samples (at most GATE_SUB pairs), in the groups' scratch.
  const keys = scratch;
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
  let phase = slot(p, GATE_PHASE);
  let peak = f64x2.splat(slot(p, GATE_KEY_PEAK));
  let gFrom = slot(p, GATE_GAIN_FROM);
  let gTo = slot(p, GATE_GAIN_TO);
  let i: usize = from;
  while (i < n) {
    // This call's frames of the running sub-block.
    const start = i;
    const phase0 = phase;
    const end = min<usize>(n, i + <usize>(GATE_SUB - phase));
    const glide = gTo != gFrom;
    const step = gTo - gFrom;
    const settled = f64x2.splat(gFrom);
    const za0 = za;
    const zb0 = zb;
    const peak0 = peak;
    for (; i < end; i++) {
      const at = i << 2;
      let x: v128;
      if (withEq) {
        // runEq1's frame: the trim, the biquad (each rounded to float32, as stored).
        const e = eqInput(eqGain, inL, inR, at);
        x = biquad(c, e, ex1, ex2, ey1, ey2);
        ex2 = ex1;
        ex1 = e;
        ey2 = ey1;
        ey1 = x;
        if (tap != 0) {
          const t = f32x4.demote_f64x2_zero(f64x2.mul(x, tapGain));
          v128.store32_lane(tapL + at, t, 0);
          v128.store32_lane(tapR + at, t, 1);
        }
      } else x = pair(<f64>load<f32>(inL + at), <f64>load<f32>(inR + at));
      const k = keyed ? pair(<f64>load<f32>(keyL + at), <f64>load<f32>(keyR + at)) : x;
      // Key high-pass (gate.ts's transposed direct form II with h substituted into the
      // states), the first state's input through the denormal guard. The key is kept for the
      // check after the segment.
      v128.store(keys + ((i - start) << 4), k);
      const h = f64x2.add(f64x2.mul(b0, k), za);
      const u = f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(c1, k), zb), guard), guard);
      zb = f64x2.sub(f64x2.mul(c2, k), f64x2.mul(a2, za));
      za = f64x2.sub(u, f64x2.mul(a1, za));
      peak = f64x2.pmax(peak, f64x2.abs(h));
      // The gain glides across the sub-block (a settled one is that gain); a mono output's two
      // stores go to the one buffer.
      const gain = glide ? f64x2.splat(gFrom + step * (<f64>(phase0 + <f64>(i - start) + 1) * GATE_INV_SUB)) : settled;
      const y = f32x4.demote_f64x2_zero(f64x2.mul(x, gain));
      if (withEq4) {
        // runEqPipelined4's step on the gate's output (as stored and read back: float32).
        const v = f64x2.promote_low_f32x4(y);
        const ya = biquad(q, v, qx1, qx2, qa1, qa2);
        const yb = biquad(q1, qa1, qa2, qa3, qb1, qb2);
        const yd = biquad(q2, qb1, qb2, qb3, qd1, qd2);
        const ye = biquad(q3, qd1, qd2, qd3, qe1, qe2);
        qx2 = qx1; qx1 = v;
        qa3 = qa2; qa2 = qa1; qa1 = ya;
        qb3 = qb2; qb2 = qb1; qb1 = yb;
        qd3 = qd2; qd2 = qd1; qd1 = yd;
        qe2 = qe1; qe1 = ye;
        eqOutput(ye, outL, outR, (i - 3) << 2);
      } else {
        v128.store32_lane(outL + at, y, 0);
        v128.store32_lane(outR + at, y, 1);
      }
    }
    // gate.ts restarts the key filter at a |h| that is not below KEY_CEIL (a NaN or infinite
    // key sample). Such an h leaves this segment's peak at KEY_CEIL or more, or (a NaN) a
    // state that is not finite to its end: then the segment's key runs again from its start,
    // a frame at a time with gate.ts's check (the outputs do not depend on it).
    if (v128.any_true(v128.not(v128.and(v128.and(f64x2.lt(f64x2.abs(za), inf), f64x2.lt(f64x2.abs(zb), inf)), f64x2.lt(peak, ceil))))) {
      za = za0;
      zb = zb0;
      peak = peak0;
      for (let j = start; j < end; j++) {
        const k = v128.load(keys + ((j - start) << 4));
        let h = f64x2.add(f64x2.mul(b0, k), za);
        const u = f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(c1, k), zb), guard), guard);
        zb = f64x2.sub(f64x2.mul(c2, k), f64x2.mul(a2, za));
        za = f64x2.sub(u, f64x2.mul(a1, za));
        // An infinite or NaN key sample: it opens the gate (as a huge peak) and the filter restarts.
        const out = v128.not(f64x2.lt(f64x2.abs(h), ceil));
        h = v128.bitselect(ceil, h, out);
        za = v128.andnot(za, out);
        zb = v128.andnot(zb, out);
        peak = f64x2.pmax(peak, f64x2.abs(h));
      }
    }
    phase += <f64>(end - start);
    if (phase == GATE_SUB) {
      const p0 = f64x2.extract_lane(peak, 0);
      const p1 = f64x2.extract_lane(peak, 1);
      const pk = stereo && p1 > p0 ? p1 : p0;
      // Open at the threshold; the hold re-arms while the key reaches the close level, and
      // runs out a sub-block at a time.
      if (pk >= openLevel) open = 1;
      if (open == 1) {
        if (pk >= closeLevel) hold = holdFrames;
        else {
          hold -= GATE_SUB;
          if (!(hold > 0)) {
            hold = 0;
            open = 0;
          }
        }
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
      gFrom = gTo;
      gTo = g == 0 ? 1 : g == G ? rangeLin : dexp(g * GATE_NEPER_PER_DB);
      peak = f64x2.splat(0);
      phase = 0;
    }
  }
  store<f64>(p + PAYLOAD + (<usize>GATE_Z0 << 3), f64x2.extract_lane(za, 0));
  store<f64>(p + PAYLOAD + (<usize>GATE_Z1 << 3), f64x2.extract_lane(zb, 0));
  if (stereo) {
    store<f64>(p + PAYLOAD + (<usize>GATE_Z2 << 3), f64x2.extract_lane(za, 1));
    store<f64>(p + PAYLOAD + (<usize>GATE_Z3 << 3), f64x2.extract_lane(zb, 1));
  }
  const p0 = f64x2.extract_lane(peak, 0);
  const p1 = f64x2.extract_lane(peak, 1);
  store<f64>(p + PAYLOAD + (<usize>GATE_GAIN_DB << 3), g);
  store<f64>(p + PAYLOAD + (<usize>GATE_OPEN << 3), open);
  store<f64>(p + PAYLOAD + (<usize>GATE_HOLD << 3), hold);
  store<f64>(p + PAYLOAD + (<usize>GATE_GR_PEAK << 3), grPeak);
  store<f64>(p + PAYLOAD + (<usize>GATE_PHASE << 3), phase);
  store<f64>(p + PAYLOAD + (<usize>GATE_KEY_PEAK << 3), stereo && p1 > p0 ? p1 : p0);
  store<f64>(p + PAYLOAD + (<usize>GATE_GAIN_FROM << 3), gFrom);
  store<f64>(p + PAYLOAD + (<usize>GATE_GAIN_TO << 3), gTo);
  if (withEq) saveBiquad(c, ex1, ex2, ey1, ey2);
  if (withEq4) {
    saveBiquad(q, qx1, qx2, qa1, qa2);
    saveBiquad(q1, qa2, qa3, qb1, qb2); // biquad k+1 read k's outputs
    saveBiquad(q2, qb2, qb3, qd1, qd2);
    saveBiquad(q3, qd2, qd3, qe1, qe2);
  }
}
