// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/deesser.ts (split and
// wide), a DEESS op in a group of its own. Its state block is shared/src/dsp/deesserState.ts.

import {
  PAYLOAD, DEESS_GAIN_REDUCTION, DEESS_GR_PEAK, DEESS_PHASE, DEESS_BLOCK_PEAK, DEESS_GM1_FROM, DEESS_GM1_TO,
  DEESS_X1_L, DEESS_X2_L, DEESS_Y1_L, DEESS_Y2_L, DEESS_THRESHOLD_LIN, DEESS_THRESHOLD, DEESS_RANGE, DEESS_WIDE,
  DEESS_RELEASE_COEF, DEESS_NEG_SLOPE, DEESS_DB_PER_NEPER, DEESS_NEPER_PER_DB, DEESS_B0, DEESS_B1, DEESS_B2,
  DEESS_A1, DEESS_A2,
} from './chainProgram.generated.as';
import { pair, scratch, slot } from './chainLanes.as';
import { dlog } from './deterministicLog.as';
import { gainExp2 } from './gainExp.as';

/** Reductions below this (dB) are flushed to 0, as deesser.ts does. */
const GR_FLOOR: f64 = 1e-9;
/** deesser.ts's DEESSER_SUB_BLOCK: frames per control step. */
const SUB: usize = 16;
/** 1/SUB: (k + 1)·(1/16) is deesser.ts's WEIGHT[k] = (k + 1)/16 exactly (powers of two). */
const INV_SUB: f64 = 0.0625;
/** deesser.ts's BAND_FLOOR: band states below it are flushed to 0 at a control step. */
const BAND_FLOOR: f64 = 1e-30;
/** deesser.ts's BAND_CEIL: a band sample past it (NaN, infinite) reads as it, and the band restarts. */
const BAND_CEIL: f64 = 1e30;

/** The band's next output (both lanes): deesser.ts's b0·x + b1·x1 + b2·x2 − a2·y2 − a1·y1, in that order. */
@inline function band(b0: v128, b1: v128, b2: v128, a1: v128, a2: v128, x: v128, x1: v128, x2: v128, y1: v128, y2: v128): v128 {
  return f64x2.sub(f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(b0, x), f64x2.mul(b1, x1)), f64x2.mul(b2, x2)), f64x2.mul(a2, y2)), f64x2.mul(a1, y1));
}

/**
 * A group that is one de-esser: shared/dsp/deesser.ts's steady path operation for operation,
 * a sub-block (of SUB song frames, placed by the phase createChainKernel.ts writes) at a time:
 * per sample the band-pass on both channels in the lanes of one register (doubles, the
 * previous output's feedback last, as the JavaScript; a band sample that is not finite reads
 * as BAND_CEIL and restarts that lane's band), each channel's running |band| peak in its lane
 * (f64x2.pmax: the JavaScript's `>`; the two lanes' larger is the JavaScript's one peak), and
 * y = x + (g − 1)·s with g − 1 gliding across the sub-block, s the band (split) or the
 * input (wide); at the sub-block's last frame the control step (curve, one-pole, gain).
 * A sub-block gliding from 0 to 0 outputs its input (a copy; nothing in place) and runs the
 * band and its peak alone. The band's recursion is the loop's critical path; the output
 * arithmetic overlaps it. A mono input has inR == inL, so both lanes are equal.
 */
export function runDeesser(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  const b0 = f64x2.splat(slot(p, DEESS_B0));
  const b1 = f64x2.splat(slot(p, DEESS_B1));
  const b2 = f64x2.splat(slot(p, DEESS_B2));
  const a1 = f64x2.splat(slot(p, DEESS_A1));
  const a2 = f64x2.splat(slot(p, DEESS_A2));
  const thrLin = slot(p, DEESS_THRESHOLD_LIN);
  const T = slot(p, DEESS_THRESHOLD);
  const range = slot(p, DEESS_RANGE);
  const negSlope = slot(p, DEESS_NEG_SLOPE);
  const dbPerNeper = slot(p, DEESS_DB_PER_NEPER);
  const negNeperPerDb = -slot(p, DEESS_NEPER_PER_DB);
  const relCoef = slot(p, DEESS_RELEASE_COEF);
  const relComp = slot(p, DEESS_RELEASE_COEF + 1);
  const attCoef = slot(p, DEESS_RELEASE_COEF + 2);
  const attComp = slot(p, DEESS_RELEASE_COEF + 3);
  const wide = slot(p, DEESS_WIDE) != 0;
  const floor = f64x2.splat(BAND_FLOOR);
  const ceil = f64x2.splat(BAND_CEIL);
  const inf = f64x2.splat(Infinity);
  // The segment's input frames (at most SUB pairs), in the groups' scratch.
  const xs = scratch;
  const history = p + PAYLOAD;
  let x1 = v128.load(history + (<usize>DEESS_X1_L << 3));
  let x2 = v128.load(history + (<usize>DEESS_X2_L << 3));
  let y1 = v128.load(history + (<usize>DEESS_Y1_L << 3));
  let y2 = v128.load(history + (<usize>DEESS_Y2_L << 3));
  let gr = slot(p, DEESS_GAIN_REDUCTION);
  let grPeak = slot(p, DEESS_GR_PEAK);
  let phase = <usize>slot(p, DEESS_PHASE);
  let peak = f64x2.splat(slot(p, DEESS_BLOCK_PEAK));
  let from0 = slot(p, DEESS_GM1_FROM);
  let to0 = slot(p, DEESS_GM1_TO);
  const n = <usize>frames;
  let i: usize = 0;
  while (i < n) {
    // This call's frames of the running sub-block.
    const m = min<usize>(SUB - phase, n - i);
    const end = i + m;
    // Gliding from 0 to 0, the output is the input (copied below); the band runs for its peak.
    const idle = from0 == 0 && to0 == 0;
    const d = to0 - from0;
    const sx1 = x1;
    const sx2 = x2;
    const sy1 = y1;
    const sy2 = y2;
    const speak = peak;
    // Two frames per round: each channel's pair of samples is one load and one store. The
    // frames are kept (at most SUB pairs) for the check after the rounds.
    let j = i;
    for (; j + 1 < end; j += 2) {
      const at = j << 2;
      const lv = f64x2.promote_low_f32x4(v128.load64_zero(inL + at));
      const rv = f64x2.promote_low_f32x4(v128.load64_zero(inR + at));
      const xa = v128.shuffle<f64>(lv, rv, 0, 2);
      const xb = v128.shuffle<f64>(lv, rv, 1, 3);
      v128.store(xs + ((j - i) << 4), xa);
      v128.store(xs + ((j - i + 1) << 4), xb);
      const ya = band(b0, b1, b2, a1, a2, xa, x1, x2, y1, y2);
      const yb = band(b0, b1, b2, a1, a2, xb, xa, x1, ya, y1);
      x2 = xa;
      x1 = xb;
      y2 = ya;
      y1 = yb;
      peak = f64x2.pmax(f64x2.pmax(peak, f64x2.abs(ya)), f64x2.abs(yb));
      if (!idle) {
        // g − 1 at the two frames, each lane the single frame's operations.
        const k = <f64>(phase + j - i + 1);
        const gm1 = f64x2.add(f64x2.splat(from0), f64x2.mul(f64x2.splat(d), f64x2.mul(pair(k, k + 1), f64x2.splat(INV_SUB))));
        const sl = wide ? lv : v128.shuffle<f64>(ya, yb, 0, 2);
        const sr = wide ? rv : v128.shuffle<f64>(ya, yb, 1, 3);
        // A mono output's two stores go to the one buffer, with the same values.
        v128.store64_lane(outL + at, f32x4.demote_f64x2_zero(f64x2.add(lv, f64x2.mul(gm1, sl))), 0);
        v128.store64_lane(outR + at, f32x4.demote_f64x2_zero(f64x2.add(rv, f64x2.mul(gm1, sr))), 0);
      }
    }
    // Frames from `careful` on run one at a time with deesser.ts's restart: the odd last one,
    // or, when a band sample was not below BAND_CEIL (a NaN or infinite input), all of them
    // again from the segment's start. Such a sample leaves the peak at BAND_CEIL or more, or
    // (a NaN) a state that is not finite to the rounds' end.
    let careful = j;
    if (j < end) v128.store(xs + ((j - i) << 4), pair(<f64>load<f32>(inL + (j << 2)), <f64>load<f32>(inR + (j << 2))));
    if (v128.any_true(v128.not(v128.and(v128.and(f64x2.lt(f64x2.abs(y1), inf), f64x2.lt(f64x2.abs(y2), inf)), f64x2.lt(peak, ceil))))) {
      x1 = sx1;
      x2 = sx2;
      y1 = sy1;
      y2 = sy2;
      peak = speak;
      careful = i;
    }
    for (let q = careful; q < end; q++) {
      const x = v128.load(xs + ((q - i) << 4));
      let y = band(b0, b1, b2, a1, a2, x, x1, x2, y1, y2);
      const o = v128.not(f64x2.lt(f64x2.abs(y), ceil));
      y = v128.bitselect(ceil, y, o);
      x2 = v128.andnot(x1, o);
      x1 = v128.andnot(x, o);
      y2 = v128.andnot(y1, o);
      y1 = v128.andnot(y, o);
      peak = f64x2.pmax(peak, f64x2.abs(y));
      if (!idle) {
        const gm1 = from0 + d * (<f64>(phase + q - i + 1) * INV_SUB);
        const out = f32x4.demote_f64x2_zero(f64x2.add(x, f64x2.mul(f64x2.splat(gm1), wide ? x : y)));
        v128.store32_lane(outL + (q << 2), out, 0);
        v128.store32_lane(outR + (q << 2), out, 1);
      }
    }
    if (idle) {
      if (outL != inL) memory.copy(outL + (i << 2), inL + (i << 2), m << 2);
      if (outR != inR && outR != outL) memory.copy(outR + (i << 2), inR + (i << 2), m << 2);
    }
    i = end;
    phase += m;
    if (phase == SUB) {
      // The control step: the sub-block's peak through the curve, the one-pole, the next gain.
      const pl = f64x2.extract_lane(peak, 0);
      const pr = f64x2.extract_lane(peak, 1);
      const P = pr > pl ? pr : pl;
      let target: f64 = 0;
      if (P > thrLin) {
        const t = (dbPerNeper * dlog(P) - T) * negSlope;
        target = t > 0 ? (t < range ? t : range) : 0;
      }
      const up = target > gr;
      gr = up ? attCoef * gr + attComp * target : relCoef * gr + relComp * target;
      if (!(gr >= GR_FLOOR)) gr = 0;
      if (gr > grPeak) grPeak = gr;
      from0 = to0;
      to0 = gr == 0 ? 0 : f64x2.extract_lane(gainExp2(f64x2.splat(gr * negNeperPerDb)), 0) - 1;
      peak = f64x2.splat(0);
      phase = 0;
      // A lane's band that has died away to −600 dB is silence: its states go to 0.
      const dead = v128.and(f64x2.lt(f64x2.abs(y1), floor), f64x2.lt(f64x2.abs(y2), floor));
      y1 = v128.andnot(y1, dead);
      y2 = v128.andnot(y2, dead);
    }
  }
  v128.store(history + (<usize>DEESS_X1_L << 3), x1);
  v128.store(history + (<usize>DEESS_X2_L << 3), x2);
  v128.store(history + (<usize>DEESS_Y1_L << 3), y1);
  v128.store(history + (<usize>DEESS_Y2_L << 3), y2);
  store<f64>(history + (<usize>DEESS_GAIN_REDUCTION << 3), gr);
  store<f64>(history + (<usize>DEESS_GR_PEAK << 3), grPeak);
  store<f64>(history + (<usize>DEESS_PHASE << 3), <f64>phase);
  const pl = f64x2.extract_lane(peak, 0);
  const pr = f64x2.extract_lane(peak, 1);
  store<f64>(history + (<usize>DEESS_BLOCK_PEAK << 3), pr > pl ? pr : pl);
  store<f64>(history + (<usize>DEESS_GM1_FROM << 3), from0);
  store<f64>(history + (<usize>DEESS_GM1_TO << 3), to0);
}
