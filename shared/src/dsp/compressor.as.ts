// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/compressor.ts: a
// COMP op in a group of its own in vectorised passes (runCompressor), or one sample at a
// time inside a group (compress). Its state block is shared/src/dsp/compressorState.ts.

import {
  ARG0, PAYLOAD, COMP_GAIN_REDUCTION, COMP_MEAN_SQUARE, COMP_THRESHOLD, COMP_KNEE, COMP_HALF_KNEE,
  COMP_NEG_SLOPE, COMP_KNEE_COEF, COMP_KNEE_START, COMP_KNEE_START_SQ, COMP_MAKEUP_DB, COMP_MAKEUP_LIN,
  COMP_RELEASE_COEF, COMP_RELEASE_COMPLEMENT, COMP_ATTACK_COEF, COMP_ATTACK_COMPLEMENT, COMP_RMS_COEF,
  COMP_DB_PER_NEPER, COMP_NEPER_PER_DB,
} from './chainProgram.generated.as';
import { CHUNK, f32round, pair, scratch, slot } from './chainLanes.as';
import { dlog, LN2, LOG_OFF, MAX_DOUBLE, MIN_NORMAL, logCenter, logInvCenter, logOfCenter } from './deterministicLog.as';
import { dexp, dexp2, expPow2Frac, INV_LN2_64, LN2_64_HI, LN2_64_LO, SHIFTER } from './deterministicExp.as';

export const GR_FLOOR: f64 = 1e-9;
const GR_CEIL: f64 = 1e4;
const MS_FLOOR: f64 = 1e-30;
const MS_CEIL: f64 = 1.7976931348623157e308;

/**
 * Bytes of the compressor's scratch (setMathTables' last argument): levels, targets and
 * gains (CHUNK f64 each), the constants block, then the list of CHUNK + 2 sample indices
 * (u32) that compressorTargets writes.
 */
export function compressorScratchBytes(): usize {
  return 3 * (CHUNK << 3) + COMPRESSOR_CONSTANTS + ((CHUNK + 2) << 2);
}

/** shared/dsp compressor's gainReduction (branch-free soft-knee curve). */
@inline export function gainReduction(level: f64, T: f64, W: f64, halfW: f64, negSlope: f64, kneeCoef: f64): f64 {
  const over = level - T;
  const a = over + halfW;
  const b = a - W;
  const c = over - halfW;
  const t = 0.5 * (a + Math.abs(a)) - 0.5 * (b + Math.abs(b));
  return kneeCoef * t * t + negSlope * (0.5 * (c + Math.abs(c)));
}

/** One compressor sample on x (lanes L, R); returns the output lanes. */
@inline export function compress(p: usize, x: v128): v128 {
  const l = f64x2.extract_lane(x, 0);
  const rr = f64x2.extract_lane(x, 1);
  let target: f64 = 0;
  if (load<i32>(p, ARG0) == 1) {
    const rc = slot(p, COMP_RMS_COEF);
    let ms = rc * slot(p, COMP_MEAN_SQUARE) + (1 - rc) * 0.5 * (l * l + rr * rr);
    if (!(ms >= MS_FLOOR && ms <= MS_CEIL)) ms = 0;
    store<f64>(p + PAYLOAD + (<usize>COMP_MEAN_SQUARE << 3), ms);
    if (ms > slot(p, COMP_KNEE_START_SQ)) {
      target = gainReduction(0.5 * slot(p, COMP_DB_PER_NEPER) * dlog(ms), slot(p, COMP_THRESHOLD), slot(p, COMP_KNEE), slot(p, COMP_HALF_KNEE), slot(p, COMP_NEG_SLOPE), slot(p, COMP_KNEE_COEF));
    }
  } else {
    const a = Math.abs(l);
    const b = Math.abs(rr);
    const d = a - b;
    const peak = b + 0.5 * (d + Math.abs(d));
    if (peak > slot(p, COMP_KNEE_START)) {
      target = gainReduction(slot(p, COMP_DB_PER_NEPER) * dlog(peak), slot(p, COMP_THRESHOLD), slot(p, COMP_KNEE), slot(p, COMP_HALF_KNEE), slot(p, COMP_NEG_SLOPE), slot(p, COMP_KNEE_COEF));
    }
  }
  let gr = slot(p, COMP_GAIN_REDUCTION);
  const up = target > gr ? 2 : 0;
  gr = slot(p, COMP_RELEASE_COEF + up) * gr + slot(p, COMP_RELEASE_COEF + up + 1) * target;
  if (!(gr >= GR_FLOOR && gr < GR_CEIL)) gr = 0;
  store<f64>(p + PAYLOAD + (<usize>COMP_GAIN_REDUCTION << 3), gr);
  const g = gr == 0 ? slot(p, COMP_MAKEUP_LIN) : dexp((slot(p, COMP_MAKEUP_DB) - gr) * slot(p, COMP_NEPER_PER_DB));
  return f32round(f64x2.mul(x, f64x2.splat(g)));
}

// v128 constants of the compressor's vectorised passes, written per block at `consts` (see
// writeCompressorConstants) and read into locals before each loop: V8 re-materialises a
// v128.const inside a loop on every iteration, a load before the loop it keeps.
const K_THRESHOLD: usize = 0;
const K_MIN_NORMAL: usize = 16;
const K_MAX_DOUBLE: usize = 32;
const K_ONE: usize = 48;
const K_SCALE: usize = 64;
const K_T: usize = 80;
const K_W: usize = 96;
const K_HALF_W: usize = 112;
const K_NEG_SLOPE: usize = 128;
const K_KNEE_COEF: usize = 144;
const K_HALF: usize = 160;
const K_P4: usize = 176; // -0.25
const K_P5: usize = 192; // 1/5
const K_P6: usize = 208; // -1/6
const K_P2: usize = 224; // -0.5
const K_P3: usize = 240; // 1/3
const K_LN2: usize = 256;
const K_LOG_OFF: usize = 272; // i32x4 splat
const K_INDEX_MASK: usize = 288; // i32x4 splat 127 << 3
const K_HIGH_WORDS: usize = 304; // i32x4 (0, -1, 0, -1)
const K_MAKEUP_DB: usize = 320;
const K_NEPER_PER_DB: usize = 336;
const K_MAKEUP_LIN: usize = 352;
const K_EXP_LIMIT: usize = 368; // 708
const K_SHIFTER: usize = 384;
const K_INV_LN2_64: usize = 400;
const K_LN2_64_HI: usize = 416;
const K_LN2_64_LO: usize = 432;
const K_E24: usize = 448; // 1/24
const K_E120: usize = 464; // 1/120
const K_E6: usize = 480; // 1/6
const K_EXP_BIAS: usize = 496; // i32x4 splat 1023
const K_FRAC_MASK: usize = 512; // i32x4 splat 63
const K_COEFS: usize = 528; // (attack, release) coefficient
const K_COMPS: usize = 544; // (attack, release) complement
const K_FLOOR: usize = 560;
const K_CEIL: usize = 576;
/** Bytes of the constants block. */
export const COMPRESSOR_CONSTANTS: usize = 592;

function writeCompressorConstants(k: usize, threshold: f64, scale: f64, T: f64, W: f64, halfW: f64, negSlope: f64, kneeCoef: f64, makeupDb: f64, neperPerDb: f64, makeupLin: f64, coefs: v128, comps: v128): void {
  v128.store(k + K_COEFS, coefs);
  v128.store(k + K_COMPS, comps);
  v128.store(k + K_FLOOR, f64x2.splat(GR_FLOOR));
  v128.store(k + K_CEIL, f64x2.splat(GR_CEIL));
  v128.store(k + K_THRESHOLD, f64x2.splat(threshold));
  v128.store(k + K_MIN_NORMAL, f64x2.splat(MIN_NORMAL));
  v128.store(k + K_MAX_DOUBLE, f64x2.splat(MAX_DOUBLE));
  v128.store(k + K_ONE, f64x2.splat(1));
  v128.store(k + K_SCALE, f64x2.splat(scale));
  v128.store(k + K_T, f64x2.splat(T));
  v128.store(k + K_W, f64x2.splat(W));
  v128.store(k + K_HALF_W, f64x2.splat(halfW));
  v128.store(k + K_NEG_SLOPE, f64x2.splat(negSlope));
  v128.store(k + K_KNEE_COEF, f64x2.splat(kneeCoef));
  v128.store(k + K_HALF, f64x2.splat(0.5));
  v128.store(k + K_P4, f64x2.splat(-0.25));
  v128.store(k + K_P5, f64x2.splat(1.0 / 5.0));
  v128.store(k + K_P6, f64x2.splat(-(1.0 / 6.0)));
  v128.store(k + K_P2, f64x2.splat(-0.5));
  v128.store(k + K_P3, f64x2.splat(1.0 / 3.0));
  v128.store(k + K_LN2, f64x2.splat(LN2));
  v128.store(k + K_LOG_OFF, i32x4.splat(LOG_OFF));
  v128.store(k + K_INDEX_MASK, i32x4.splat(127 << 3));
  v128.store(k + K_HIGH_WORDS, i32x4(0, -1, 0, -1));
  v128.store(k + K_MAKEUP_DB, f64x2.splat(makeupDb));
  v128.store(k + K_NEPER_PER_DB, f64x2.splat(neperPerDb));
  v128.store(k + K_MAKEUP_LIN, f64x2.splat(makeupLin));
  v128.store(k + K_EXP_LIMIT, f64x2.splat(708));
  v128.store(k + K_SHIFTER, f64x2.splat(SHIFTER));
  v128.store(k + K_INV_LN2_64, f64x2.splat(INV_LN2_64));
  v128.store(k + K_LN2_64_HI, f64x2.splat(LN2_64_HI));
  v128.store(k + K_LN2_64_LO, f64x2.splat(LN2_64_LO));
  v128.store(k + K_E24, f64x2.splat(1.0 / 24.0));
  v128.store(k + K_E120, f64x2.splat(1.0 / 120.0));
  v128.store(k + K_E6, f64x2.splat(1.0 / 6.0));
  v128.store(k + K_EXP_BIAS, i32x4.splat(1023));
  v128.store(k + K_FRAC_MASK, i32x4.splat(63));
}

/**
 * Pass 2 of runCompressor: targets[j] for the n levels, without branches. A sample below
 * the knee's start (or NaN) gets +0, as the JS `if` gives, and no logarithm: a first sweep
 * writes the zeros and lists the samples past the knee start (as the JS kernel's ABOVE
 * list), a second computes the listed ones two per register (an odd count repeats the last).
 * A level past the knee start must be a positive normal finite double for the vector
 * logarithm; one that is not (+inf) is left for the caller to redo with the scalar `dlog`:
 * returns whether there was any.
 *
 * The logarithm is `dlog`'s operations per lane. Its table work is done in vector integer
 * arithmetic on the high 32-bit words (lanes 1 and 3), where it is exact: k and the table
 * index come from the exponent bits as in dlog, and x·2^-k (exact: the result is normal)
 * is x with k subtracted from its exponent field. The three centre tables are read per
 * lane. In gainReduction, 0.5·(a + |a|) is pmax(+0, a) exactly (a finite: both give a
 * when a > 0, else +0), one instruction instead of three.
 */
function compressorTargets(levels: usize, targets: usize, n: usize, k: usize): bool {
  const threshold = v128.load(k + K_THRESHOLD);
  const minNormal = v128.load(k + K_MIN_NORMAL);
  const maxDouble = v128.load(k + K_MAX_DOUBLE);
  const list = k + COMPRESSOR_CONSTANTS;
  const zero = f64x2.splat(0);
  let special = i64x2.splat(0);
  let count: usize = 0;
  for (let j: usize = 0; j < n; j += 2) {
    const level = v128.load(levels + (j << 3));
    const past = f64x2.gt(level, threshold);
    const normal = v128.and(f64x2.ge(level, minNormal), f64x2.le(level, maxDouble));
    const ok = <usize>i64x2.bitmask(v128.and(past, normal));
    special = v128.or(special, v128.andnot(past, normal));
    v128.store(targets + (j << 3), zero);
    store<u32>(list + (count << 2), <u32>j);
    count += ok & 1;
    store<u32>(list + (count << 2), <u32>j + 1);
    count += ok >> 1;
  }
  if (count == 0) return v128.any_true(special);
  if (count & 1) {
    store<u32>(list + (count << 2), load<u32>(list + ((count - 1) << 2)));
    count++;
  }
  const scale = v128.load(k + K_SCALE);
  const T = v128.load(k + K_T);
  const W = v128.load(k + K_W);
  const halfW = v128.load(k + K_HALF_W);
  const negSlope = v128.load(k + K_NEG_SLOPE);
  const kneeCoef = v128.load(k + K_KNEE_COEF);
  const p4 = v128.load(k + K_P4);
  const p5 = v128.load(k + K_P5);
  const p6 = v128.load(k + K_P6);
  const p2 = v128.load(k + K_P2);
  const p3 = v128.load(k + K_P3);
  const ln2 = v128.load(k + K_LN2);
  const off = v128.load(k + K_LOG_OFF);
  const indexMask = v128.load(k + K_INDEX_MASK);
  const highWords = v128.load(k + K_HIGH_WORDS);
  const center = logCenter;
  const invCenter = logInvCenter;
  const logOfC = logOfCenter;
  for (let m: usize = 0; m < count; m += 2) {
    const j0 = <usize>load<u32>(list + (m << 2)) << 3;
    const j1 = <usize>load<u32>(list + (m << 2), 4) << 3;
    const x = v128.load64_lane(levels + j1, v128.load64_zero(levels + j0), 1);
    // dlog(x) per lane.
    const tmp = i32x4.sub(x, off);
    const e = i32x4.shr_s(tmp, 20);
    const idx = v128.and(i32x4.shr_s(tmp, 10), indexMask);
    const z = i32x4.sub(x, v128.and(i32x4.shl(e, 20), highWords));
    const i0 = <usize>i32x4.extract_lane(idx, 1);
    const i1 = <usize>i32x4.extract_lane(idx, 3);
    const c = v128.load64_lane(center + i1, v128.load64_zero(center + i0), 1);
    const ic = v128.load64_lane(invCenter + i1, v128.load64_zero(invCenter + i0), 1);
    const lc = v128.load64_lane(logOfC + i1, v128.load64_zero(logOfC + i0), 1);
    const r = f64x2.mul(f64x2.sub(z, c), ic);
    const r2 = f64x2.mul(r, r);
    const inner = f64x2.add(f64x2.add(p4, f64x2.mul(r, p5)), f64x2.mul(r2, p6));
    const outer = f64x2.add(f64x2.add(p2, f64x2.mul(r, p3)), f64x2.mul(r2, inner));
    const poly = f64x2.add(r, f64x2.mul(r2, outer));
    const kf = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(e, e, 1, 3, 1, 3));
    const lv = f64x2.mul(scale, f64x2.add(f64x2.add(f64x2.mul(kf, ln2), lc), poly));
    // gainReduction(lv) on both lanes, the constants in registers.
    const over = f64x2.sub(lv, T);
    const a = f64x2.add(over, halfW);
    const b = f64x2.sub(a, W);
    const cc = f64x2.sub(over, halfW);
    const t = f64x2.sub(f64x2.pmax(zero, a), f64x2.pmax(zero, b));
    const knee = f64x2.mul(f64x2.mul(kneeCoef, t), t);
    const target = f64x2.add(knee, f64x2.mul(negSlope, f64x2.pmax(zero, cc)));
    v128.store64_lane(targets + j0, target, 0);
    v128.store64_lane(targets + j1, target, 1);
  }
  return v128.any_true(special);
}

/** Set by compressorGainsFused: a reduction outside the range its fast path covers. */
let fusedTrouble: bool = false;

/**
 * Passes 3-4 of runCompressor for n (even) targets: the one-pole per sample, then the
 * gains, into `gains`; returns the reduction after the last. The one-pole is a chain of
 * dependent operations, so each turn runs it for one pair of samples while it computes the
 * previous pair's gains, which do not depend on it: the CPU overlaps the two.
 *
 * - The branching one-pole: both branches computed and one picked by a mask (attack or
 *   release is data-dependent and mispredicts as a branch). Its range check (a reduction
 *   outside [1e-9, 1e4) becomes 0) only changes a value when it fires, so it is not
 *   applied, only noted in `fusedTrouble`; the caller then recomputes the chunk exactly.
 * - gain = makeup where the reduction is 0, else dexp((makeup - gr) · neper/dB): `dexp`'s
 *   operations per lane, 2^m built from exponent bits (the table's exact value); a pair
 *   outside |y| <= 708 takes the scalar dexp.
 */
function compressorGainsFused(targets: usize, gains: usize, n: usize, k: usize, gr: f64): f64 {
  const coefs = v128.load(k + K_COEFS);
  const comps = v128.load(k + K_COMPS);
  const floor = v128.load(k + K_FLOOR);
  const ceil = v128.load(k + K_CEIL);
  const md = v128.load(k + K_MAKEUP_DB);
  const npd = v128.load(k + K_NEPER_PER_DB);
  const ml = v128.load(k + K_MAKEUP_LIN);
  const lim = v128.load(k + K_EXP_LIMIT);
  const shifter = v128.load(k + K_SHIFTER);
  const invLn2 = v128.load(k + K_INV_LN2_64);
  const ln2Hi = v128.load(k + K_LN2_64_HI);
  const ln2Lo = v128.load(k + K_LN2_64_LO);
  const e24 = v128.load(k + K_E24);
  const e120 = v128.load(k + K_E120);
  const e6 = v128.load(k + K_E6);
  const half = v128.load(k + K_HALF);
  const bias = v128.load(k + K_EXP_BIAS);
  const fracMask = v128.load(k + K_FRAC_MASK);
  const zero = i64x2.splat(0);
  const frac = expPow2Frac;
  let g = f64x2.splat(gr);
  let trouble = i64x2.splat(0);
  let previous = zero;
  for (let j: usize = 0; j < n; j += 2) {
    // The one-pole, sample j then j + 1 (lanes of `both`: the attack and release update).
    const target = v128.load(targets + (j << 3));
    const t0 = v128.shuffle<f64>(target, target, 0, 0);
    const both0 = f64x2.add(f64x2.mul(coefs, g), f64x2.mul(comps, t0));
    g = v128.bitselect(v128.shuffle<f64>(both0, both0, 0, 0), v128.shuffle<f64>(both0, both0, 1, 1), f64x2.gt(t0, g));
    const g0 = g;
    const t1 = v128.shuffle<f64>(target, target, 1, 1);
    const both1 = f64x2.add(f64x2.mul(coefs, g), f64x2.mul(comps, t1));
    g = v128.bitselect(v128.shuffle<f64>(both1, both1, 0, 0), v128.shuffle<f64>(both1, both1, 1, 1), f64x2.gt(t1, g));
    const grs = v128.shuffle<f64>(g0, g, 0, 2);
    trouble = v128.or(trouble, v128.not(v128.and(f64x2.ge(grs, floor), f64x2.lt(grs, ceil))));
    // The previous pair's gains.
    if (j > 0) {
      const y = f64x2.mul(f64x2.sub(md, previous), npd);
      let ex: v128;
      if (i64x2.all_true(f64x2.le(f64x2.abs(y), lim))) {
        const qd = f64x2.sub(f64x2.add(f64x2.mul(y, invLn2), shifter), shifter);
        const rr = f64x2.sub(f64x2.sub(y, f64x2.mul(qd, ln2Hi)), f64x2.mul(qd, ln2Lo));
        const q = i32x4.trunc_sat_f64x2_s_zero(qd);
        const high = i32x4.shl(i32x4.add(i32x4.shr_s(q, 6), bias), 20);
        const pow2m = v128.shuffle<i32>(zero, high, 0, 4, 0, 5);
        const f = v128.and(q, fracMask);
        const f0 = <usize>i32x4.extract_lane(f, 0) << 3;
        const f1 = <usize>i32x4.extract_lane(f, 1) << 3;
        const sc = f64x2.mul(pow2m, v128.load64_lane(frac + f1, v128.load64_zero(frac + f0), 1));
        const rr2 = f64x2.mul(rr, rr);
        const ein = f64x2.add(e24, f64x2.mul(rr, e120));
        const eout = f64x2.add(f64x2.add(half, f64x2.mul(rr, e6)), f64x2.mul(rr2, ein));
        ex = f64x2.add(sc, f64x2.mul(sc, f64x2.add(rr, f64x2.mul(rr2, eout))));
      } else ex = dexp2(y);
      v128.store(gains + ((j - 2) << 3), v128.bitselect(ml, ex, f64x2.eq(previous, zero)));
    }
    previous = grs;
  }
  if (n > 0) {
    const y = f64x2.mul(f64x2.sub(md, previous), npd);
    v128.store(gains + ((n - 2) << 3), v128.bitselect(ml, dexp2(y), f64x2.eq(previous, zero)));
  }
  fusedTrouble = v128.any_true(trouble);
  return f64x2.extract_lane(g, 0);
}

/** out = f32(in · gain) for both channels, two samples per step. */
function applyGains(gains: usize, inL: usize, inR: usize, outL: usize, outR: usize, n: usize): void {
  let j: usize = 0;
  for (; j + 1 < n; j += 2) {
    const gain = v128.load(gains + (j << 3));
    const at = j << 2;
    const l = f64x2.promote_low_f32x4(v128.load64_zero(inL + at));
    const r = f64x2.promote_low_f32x4(v128.load64_zero(inR + at));
    v128.store64_lane(outL + at, f32x4.demote_f64x2_zero(f64x2.mul(l, gain)), 0);
    v128.store64_lane(outR + at, f32x4.demote_f64x2_zero(f64x2.mul(r, gain)), 0);
  }
  if (j < n) {
    const gain = load<f64>(gains + (j << 3));
    const at = j << 2;
    store<f32>(outL + at, <f32>(<f64>load<f32>(inL + at) * gain));
    store<f32>(outR + at, <f32>(<f64>load<f32>(inR + at) * gain));
  }
}

/** One sample of the compressor's gain computer and one-pole, exactly (`compress`'s scalar arithmetic); returns the new reduction. */
@inline function compressorStep(level: f64, gr: f64, threshold: f64, scale: f64, T: f64, W: f64, halfW: f64, negSlope: f64, kneeCoef: f64, attCoef: f64, relCoef: f64, attComp: f64, relComp: f64): f64 {
  const target = level > threshold ? gainReduction(scale * dlog(level), T, W, halfW, negSlope, kneeCoef) : 0;
  const up = target > gr;
  let next = select<f64>(attCoef, relCoef, up) * gr + select<f64>(attComp, relComp, up) * target;
  if (!(next >= GR_FLOOR && next < GR_CEIL)) next = 0;
  return next;
}

/**
 * A group that is one compressor: `compress`'s arithmetic per sample, in passes over
 * chunks as the JavaScript kernel does, each shaped so the CPU overlaps samples:
 * 1. detector levels (peak: two samples per register; rms: the mean-square recursion);
 * 2. every sample's gain-computer target, two per register and without branches
 *    (compressorTargets);
 * 3-4. the one-pole per sample and the gains, the previous pair's gains computed while
 *    the recursion runs (compressorGainsFused);
 * then the output, two samples per step. Whatever the fast passes do not cover (an
 * infinite level, a reduction leaving its range, which happens in silence after a loud
 * part) makes the chunk rerun exactly, per sample, with the scalar functions.
 */
export function runCompressor(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  const rms = load<i32>(p, ARG0) == 1;
  let gr = slot(p, COMP_GAIN_REDUCTION);
  let ms = slot(p, COMP_MEAN_SQUARE);
  const T = slot(p, COMP_THRESHOLD);
  const W = slot(p, COMP_KNEE);
  const halfW = slot(p, COMP_HALF_KNEE);
  const negSlope = slot(p, COMP_NEG_SLOPE);
  const kneeCoef = slot(p, COMP_KNEE_COEF);
  const kneeStart = slot(p, COMP_KNEE_START);
  const kneeStartSq = slot(p, COMP_KNEE_START_SQ);
  const makeupDb = slot(p, COMP_MAKEUP_DB);
  const makeupLin = slot(p, COMP_MAKEUP_LIN);
  const relCoef = slot(p, COMP_RELEASE_COEF);
  const relComp = slot(p, COMP_RELEASE_COMPLEMENT);
  const attCoef = slot(p, COMP_ATTACK_COEF);
  const attComp = slot(p, COMP_ATTACK_COMPLEMENT);
  const rc = slot(p, COMP_RMS_COEF);
  const dbPerNeper = slot(p, COMP_DB_PER_NEPER);
  const neperPerDb = slot(p, COMP_NEPER_PER_DB);
  const levels = scratch;
  const targets = scratch + (<usize>CHUNK << 3);
  const gains = scratch + (<usize>CHUNK << 4);
  const scale = rms ? 0.5 * dbPerNeper : dbPerNeper;
  const threshold = rms ? kneeStartSq : kneeStart;
  const consts = scratch + 3 * (<usize>CHUNK << 3);
  writeCompressorConstants(consts, threshold, scale, T, W, halfW, negSlope, kneeCoef, makeupDb, neperPerDb, makeupLin, pair(attCoef, relCoef), pair(attComp, relComp));
  for (let from: usize = 0; from < <usize>frames; from += CHUNK) {
    const n: usize = min<usize>(CHUNK, <usize>frames - from);
    // Pass 1: detector level per sample.
    if (rms) {
      for (let j: usize = 0; j < n; j++) {
        const at = (from + j) << 2;
        const l = <f64>load<f32>(inL + at);
        const r = <f64>load<f32>(inR + at);
        ms = rc * ms + (1 - rc) * 0.5 * (l * l + r * r);
        if (!(ms >= MS_FLOOR && ms <= MS_CEIL)) ms = 0;
        store<f64>(levels + (j << 3), ms);
      }
    } else {
      let j: usize = 0;
      for (; j + 1 < n; j += 2) {
        const at = (from + j) << 2;
        const a = f64x2.abs(f64x2.promote_low_f32x4(v128.load64_zero(inL + at)));
        const b = f64x2.abs(f64x2.promote_low_f32x4(v128.load64_zero(inR + at)));
        const d = f64x2.sub(a, b);
        v128.store(levels + (j << 3), f64x2.add(b, f64x2.mul(f64x2.splat(0.5), f64x2.add(d, f64x2.abs(d)))));
      }
      if (j < n) {
        const at = (from + j) << 2;
        const a = Math.abs(<f64>load<f32>(inL + at));
        const b = Math.abs(<f64>load<f32>(inR + at));
        const d = a - b;
        store<f64>(levels + (j << 3), b + 0.5 * (d + Math.abs(d)));
      }
    }
    if (n & 1) store<f64>(levels + (n << 3), 0); // the last pair's spare lane: below the knee
    // Pass 2: targets, two per step. Passes 3-4: reductions and gains, two per step; a
    // last odd sample exactly, alone.
    let trouble = compressorTargets(levels, targets, n, consts);
    const start = gr;
    const pairs = n & ~(<usize>1);
    gr = compressorGainsFused(targets, gains, pairs, consts, gr);
    trouble = trouble || fusedTrouble;
    if (pairs < n) {
      gr = compressorStep(load<f64>(levels + (pairs << 3)), gr, threshold, scale, T, W, halfW, negSlope, kneeCoef, attCoef, relCoef, attComp, relComp);
      store<f64>(gains + (pairs << 3), gr == 0 ? makeupLin : dexp((makeupDb - gr) * neperPerDb));
    }
    if (trouble) {
      // A level or a reduction outside the fast path's cover: the chunk again, per sample
      // with the scalar functions and the range check (rare: silence after a loud part,
      // infinite or NaN input).
      gr = start;
      for (let j: usize = 0; j < n; j++) {
        gr = compressorStep(load<f64>(levels + (j << 3)), gr, threshold, scale, T, W, halfW, negSlope, kneeCoef, attCoef, relCoef, attComp, relComp);
        store<f64>(gains + (j << 3), gr == 0 ? makeupLin : dexp((makeupDb - gr) * neperPerDb));
      }
    }
    applyGains(gains, inL + (from << 2), inR + (from << 2), outL + (from << 2), outR + (from << 2), n);
  }
  store<f64>(p + PAYLOAD + (<usize>COMP_GAIN_REDUCTION << 3), gr);
  store<f64>(p + PAYLOAD + (<usize>COMP_MEAN_SQUARE << 3), ms);
}
