// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/deesser.ts (split and
// wide), a DEESS op in a group of its own. Its state block is shared/src/dsp/deesserState.ts.

import {
  PAYLOAD, DEESS_GAIN_REDUCTION, DEESS_GR_PEAK, DEESS_X1_L, DEESS_X2_L, DEESS_Y1_L, DEESS_Y2_L,
  DEESS_THRESHOLD_LIN, DEESS_THRESHOLD, DEESS_RANGE, DEESS_WIDE, DEESS_RELEASE_COEF, DEESS_NEG_SLOPE,
  DEESS_DB_PER_NEPER, DEESS_NEPER_PER_DB, DEESS_B0, DEESS_B1, DEESS_B2, DEESS_A1, DEESS_A2,
} from './chainProgram.generated.as';
import { CHUNK, pair, scratch, slot } from './chainLanes.as';
import { dlog2 } from './deterministicLog.as';
import { gainExp2 } from './gainExp.as';

/** Reductions below this (dB) are flushed to 0, as deesser.ts does. */
const GR_FLOOR: f64 = 1e-9;
/**
 * Samples per chunk: half the compressor's CHUNK, so two chunks' sets (DEESS_SET bytes each:
 * levels, targets, the band) take the place of the compressor's three arrays in the groups'
 * scratch, and the list that of its constants. The passes give the same samples for any
 * chunk length.
 */
const DEESS_CHUNK: usize = CHUNK >> 1;
const DEESS_SET: usize = 3 * (DEESS_CHUNK << 3);

/**
 * y = x + (g − 1)·s for the samples at byte offset `at` and the next (`two`; else that one
 * alone), their g − 1 in the lanes of `gm1`, s the band (at `band`: float32 (L, R) pairs) or
 * the input (`wide`). Two samples go one channel per register, so the loads and stores are
 * pairs; per sample and channel the operations are the JavaScript's. A mono buffer has
 * inR == inL and outR == outL: both stores write the same values.
 */
@inline function output(gm1: v128, two: bool, wide: bool, band: usize, inL: usize, inR: usize, outL: usize, outR: usize, at: usize): void {
  if (two) {
    const xl = f64x2.promote_low_f32x4(v128.load64_zero(inL + at));
    const xr = f64x2.promote_low_f32x4(v128.load64_zero(inR + at));
    let sl = xl;
    let sr = xr;
    if (!wide) {
      const b = v128.load(band);
      sl = f64x2.promote_low_f32x4(v128.shuffle<f32>(b, b, 0, 2, 0, 2));
      sr = f64x2.promote_low_f32x4(v128.shuffle<f32>(b, b, 1, 3, 1, 3));
    }
    const yl = f32x4.demote_f64x2_zero(f64x2.add(xl, f64x2.mul(gm1, sl)));
    const yr = f32x4.demote_f64x2_zero(f64x2.add(xr, f64x2.mul(gm1, sr)));
    v128.store64_lane(outL + at, yl, 0);
    v128.store64_lane(outR + at, yr, 0);
  } else {
    const x = pair(<f64>load<f32>(inL + at), <f64>load<f32>(inR + at));
    const s = wide ? x : f64x2.promote_low_f32x4(v128.load64_zero(band));
    const y = f32x4.demote_f64x2_zero(f64x2.add(x, f64x2.mul(f64x2.splat(f64x2.extract_lane(gm1, 0)), s)));
    v128.store32_lane(outL + at, y, 0);
    v128.store32_lane(outR + at, y, 1);
  }
}

/**
 * A group that is one de-esser: shared/dsp/deesser.ts's steady path operation for operation,
 * in passes over chunks of DEESS_CHUNK samples (the groups' scratch, free outside its own
 * group), as the JavaScript kernel runs it:
 * 1. the band-pass on both channels in the lanes of one register (the BiquadProcessor's
 *    double arithmetic, rounded to float32 as its Float32Array stores), the band kept as
 *    float32 pairs, and the linked band peak;
 * 2. the target of each sample past the threshold (listed in pass 1), two per register (dlog2);
 * 3. the branching one-pole in dB;
 * 4. the gains two samples per register (gainExp2) and y = x + (g − 1)·s, s the band (split)
 *    or the input (wide).
 * One long loop doing all four was instruction-bound: the CPU could not overlap samples.
 * Passes 1 and 3 are each one recursion, a chain of dependent operations per sample that
 * leaves the CPU mostly waiting; the band does not depend on the gain, so one loop runs
 * pass 3 of a chunk with pass 1 of the next, and the CPU overlaps the two chains. Every
 * sample still gets the operations of the JavaScript.
 * A chunk with nothing past the threshold and no reduction left is y = x + 0·s (NaN stays
 * NaN as in JavaScript). A mono input has inR == inL, so both lanes are equal.
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
  const negNeperPerDb = f64x2.splat(-slot(p, DEESS_NEPER_PER_DB));
  const relCoef = slot(p, DEESS_RELEASE_COEF);
  const relComp = slot(p, DEESS_RELEASE_COEF + 1);
  const attCoef = slot(p, DEESS_RELEASE_COEF + 2);
  const attComp = slot(p, DEESS_RELEASE_COEF + 3);
  const wide = slot(p, DEESS_WIDE) != 0;
  const history = p + PAYLOAD;
  let x1 = v128.load(history + (<usize>DEESS_X1_L << 3));
  let x2 = v128.load(history + (<usize>DEESS_X2_L << 3));
  let y1 = v128.load(history + (<usize>DEESS_Y1_L << 3));
  let y2 = v128.load(history + (<usize>DEESS_Y2_L << 3));
  let gr = slot(p, DEESS_GAIN_REDUCTION);
  let grPeak = slot(p, DEESS_GR_PEAK);
  // Two sets of levels, then the reductions, per sample (f64); targets (f64); the band (f32
  // pairs): chunk k's and chunk k + 1's. Then the indices of the samples past the threshold (u32).
  const list = scratch + 2 * DEESS_SET;
  const dbPerNeper2 = f64x2.splat(dbPerNeper);
  const T2 = f64x2.splat(T);
  const negSlope2 = f64x2.splat(negSlope);
  const range2 = f64x2.splat(range);
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  // Chunk k: [start, start + n) in set `cur`, with `above` samples past the threshold; the
  // first round's chunk is empty, the last round's next one.
  let start: usize = 0;
  let n: usize = 0;
  let above: usize = 0;
  let cur: usize = 0;
  while (true) {
    const nextStart = start + n;
    const n1 = min<usize>(DEESS_CHUNK, <usize>frames - nextStart);
    if (n == 0 && n1 == 0) break;
    const levels = scratch + cur * DEESS_SET;
    const targets = levels + (DEESS_CHUNK << 3);
    const band = levels + (DEESS_CHUNK << 4);
    const nextLevels = scratch + (cur ^ 1) * DEESS_SET;
    const nextTargets = nextLevels + (DEESS_CHUNK << 3);
    const nextBand = nextLevels + (DEESS_CHUNK << 4);
    const base = start << 2;
    const nextBase = nextStart << 2;
    // No reduction anywhere in chunk k: g − 1 is 0.
    const idle = above == 0 && gr == 0;
    if (!idle) {
      // 2. The targets of chunk k's listed samples, two per register (an odd count repeats the last).
      if (above & 1) store<u32>(list + (above << 2), load<u32>(list + ((above - 1) << 2)));
      for (let m: usize = 0; m < above; m += 2) {
        const j0 = <usize>load<u32>(list + (m << 2)) << 3;
        const j1 = <usize>load<u32>(list + ((m + 1) << 2)) << 3;
        const t = f64x2.mul(f64x2.sub(f64x2.mul(dbPerNeper2, dlog2(pair(load<f64>(levels + j0), load<f64>(levels + j1)))), T2), negSlope2);
        // t > 0 ? (t < range ? t : range) : 0, as the JavaScript (a NaN t gives 0).
        const target = v128.bitselect(v128.bitselect(t, range2, f64x2.lt(t, range2)), zero, f64x2.gt(t, zero));
        store<f64>(targets + j0, f64x2.extract_lane(target, 0));
        store<f64>(targets + j1, f64x2.extract_lane(target, 1));
      }
    }
    // 3. of chunk k and 1. of chunk k + 1 in one loop: two recursions the CPU overlaps.
    const n3: usize = idle ? 0 : n;
    let aboveNext: usize = 0;
    for (let j: usize = 0; j < max<usize>(n3, n1); j++) {
      if (j < n3) {
        // 3. The one-pole; the reductions replace the levels. Both branches' values are
        // computed and one is picked (the same operations as picking the coefficients
        // first), so the comparison is off the recursion's path.
        const target = load<f64>(targets + (j << 3));
        const attack = attCoef * gr + attComp * target;
        const release = relCoef * gr + relComp * target;
        gr = select<f64>(attack, release, target > gr);
        gr = select<f64>(gr, 0, gr >= GR_FLOOR);
        if (gr > grPeak) grPeak = gr;
        store<f64>(levels + (j << 3), gr);
      }
      if (j < n1) {
        // 1. The band and its linked peak; list the samples past the threshold.
        const at = nextBase + (j << 2);
        const x = pair(<f64>load<f32>(inL + at), <f64>load<f32>(inR + at));
        const y32 = f32x4.demote_f64x2_zero(
          f64x2.sub(f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(b0, x), f64x2.mul(b1, x1)), f64x2.mul(b2, x2)), f64x2.mul(a1, y1)), f64x2.mul(a2, y2)),
        );
        const y = f64x2.promote_low_f32x4(y32);
        x2 = x1;
        x1 = x;
        y2 = y1;
        y1 = y;
        v128.store64_lane(nextBand + (j << 3), y32, 0);
        const a = Math.abs(f64x2.extract_lane(y, 0));
        const b = Math.abs(f64x2.extract_lane(y, 1));
        const d = a - b;
        const peak = b + 0.5 * (d + Math.abs(d));
        store<f64>(nextLevels + (j << 3), peak);
        store<f64>(nextTargets + (j << 3), 0);
        store<u32>(list + (aboveNext << 2), <u32>j);
        aboveNext += <usize>(peak > thrLin);
      }
    }
    // 4. Chunk k's gains (a reduction of 0 is g − 1 = 0 exactly) and output, two samples at a time.
    if (idle) {
      for (let j: usize = 0; j < n; j += 2) output(zero, j + 1 < n, wide, band + (j << 3), inL, inR, outL, outR, base + (j << 2));
    } else {
      if (n & 1) store<f64>(levels + (n << 3), 0);
      for (let j: usize = 0; j < n; j += 2) {
        const g = v128.load(levels + (j << 3));
        const gm1 = v128.bitselect(zero, f64x2.sub(gainExp2(f64x2.mul(g, negNeperPerDb)), one), f64x2.eq(g, zero));
        output(gm1, j + 1 < n, wide, band + (j << 3), inL, inR, outL, outR, base + (j << 2));
      }
    }
    start = nextStart;
    n = n1;
    above = aboveNext;
    cur ^= 1;
  }
  v128.store(history + (<usize>DEESS_X1_L << 3), x1);
  v128.store(history + (<usize>DEESS_X2_L << 3), x2);
  v128.store(history + (<usize>DEESS_Y1_L << 3), y1);
  v128.store(history + (<usize>DEESS_Y2_L << 3), y2);
  store<f64>(history + (<usize>DEESS_GAIN_REDUCTION << 3), gr);
  store<f64>(history + (<usize>DEESS_GR_PEAK << 3), grPeak);
}
