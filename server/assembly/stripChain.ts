// AssemblyScript (compiled to server/src/render/simd/stripChain.wasm by `pnpm --filter
// @mixroom/server build:wasm`): the bake's track-strip chains on WebAssembly SIMD.
//
// A chain is a run of plan nodes with one input each (gain, biquad, stereo panner), run
// sample by sample with the left and right channel in the two f64 lanes of a v128. Every
// operation is the one the JavaScript kernels in shared/src/dsp perform (same operands, same
// order, float32 rounding where they store into a Float32Array; WebAssembly has no fused
// multiply-add and no fast-math), so the result is bit-identical to running those kernels
// node by node; render tests null the two paths. It is faster because all stages of a
// sample run together: each biquad's feedback recursion is latency-bound, and interleaving
// the stages (and the two channels in one register) lets the CPU overlap them.
//
// The program format (op codes, sizes, offsets, the compressor's state block) is described
// once in server/src/render/simd/chainProgram.ts, which createChainKernel.ts writes; the
// names below come from chainProgram.generated.ts, generated from it.
//
// The compressor's logarithm and exponential are shared/dsp's deterministicLog /
// deterministicExp transcribed operation for operation; their tables are written into
// memory by StripChainMemory.ts from the JavaScript modules' own tables (setMathTables).

// The module also decodes the worker's stem blocks into its memory (decodeStem.ts). Its
// memory is imported: StripChainMemory.ts creates it at a fixed size, so the views of it
// that serve as the worker's sample buffers are never detached by a grow.
export { decodeF32Stereo, decodePcm16, decodePcm24 } from './decodeStem';
export { addSignals, addSignals4 } from './sumSignals';

import {
  ARG0, ARG1, BARRIER, BARRIER_BYTES, BIQUAD, BIQUAD_A1, BIQUAD_A2, BIQUAD_B0, BIQUAD_B1, BIQUAD_B2, BIQUAD_BYTES,
  BIQUAD_X1, BIQUAD_X2, BIQUAD_Y1, BIQUAD_Y2, DEESS, DEESS_BYTES, DEESS_GAIN_REDUCTION, DEESS_GR_PEAK, DEESS_X1_L, DEESS_X2_L,
  DEESS_Y1_L, DEESS_Y2_L, DEESS_THRESHOLD_LIN, DEESS_THRESHOLD, DEESS_RANGE, DEESS_WIDE, DEESS_RELEASE_COEF, DEESS_NEG_SLOPE,
  DEESS_DB_PER_NEPER, DEESS_NEPER_PER_DB, DEESS_B0, DEESS_B1, DEESS_B2, DEESS_A1, DEESS_A2, COMP, COMP_BYTES, COMP_DB_PER_NEPER, COMP_GAIN_REDUCTION, COMP_HALF_KNEE,
  COMP_KNEE, COMP_KNEE_COEF, COMP_KNEE_START, COMP_KNEE_START_SQ, COMP_MAKEUP_DB, COMP_MAKEUP_LIN, COMP_MEAN_SQUARE,
  COMP_NEG_SLOPE, COMP_NEPER_PER_DB, COMP_RELEASE_COEF, COMP_RELEASE_COMPLEMENT, COMP_ATTACK_COEF, COMP_ATTACK_COMPLEMENT, COMP_RMS_COEF, COMP_THRESHOLD, DELAY, DELAY_BYTES_PER_FRAME,
  AUTO_X1, AUTO_X2, AUTO_Y1, AUTO_Y2, BIQUAD_AUTO, BIQUAD_AUTO_BYTES, GAIN_AUTO, GAIN_AUTO_BYTES, PAN_AUTO, PAN_AUTO_BYTES,
  PAN_AUTO_LEFT, PAN_AUTO_RIGHT, SEND_AUTO, SEND_AUTO_BYTES, ARG2, BIQUAD_AUTO_BYTES_PER_FRAME, PAN_AUTO_BYTES_PER_FRAME,
  END, GAIN, GAIN_BYTES, GATE, GATE_BYTES, GATE_GAIN_DB, GATE_OPEN, GATE_HOLD, GATE_GR_PEAK, GATE_Z0, GATE_Z1, GATE_Z2, GATE_Z3,
  GATE_OPEN_LEVEL, GATE_CLOSE_LEVEL, GATE_FLOOR_LEVEL, GATE_THRESHOLD, GATE_RANGE, GATE_SLOPE, GATE_RANGE_LIN, GATE_HOLD_FRAMES,
  GATE_RELEASE_COEF, GATE_B0, GATE_B1, GATE_B2, GATE_A1, GATE_A2, OP_HEADER_BYTES, PAIR_OP_BYTES, PAN_LEFT, PAN_LEFT_BYTES, PAN_MONO, PAN_MONO_BYTES, PAN_RIGHT,
  PAN_RIGHT_BYTES, PAN_BALANCE, PAN_BALANCE_BYTES, PAYLOAD, SEND, SEND_BYTES, SEND_ZERO, SEND_ZERO_BYTES, ZERO, ZERO_BYTES,
} from './chainProgram.generated';
const GR_FLOOR: f64 = 1e-9;
const GR_CEIL: f64 = 1e4;
const MS_FLOOR: f64 = 1e-30;
const MS_CEIL: f64 = 1.7976931348623157e308;

// Tables of deterministicLog / deterministicExp (addresses set once by setMathTables).
let logPow2NegK: usize = 0; // 2047 f64: 2^-k for k in [-1022, 1024]
let logCenter: usize = 0; // 128 f64
let logInvCenter: usize = 0; // 128 f64
let logOfCenter: usize = 0; // 128 f64
let expPow2Int: usize = 0; // 2046 f64: 2^m for m in [-1022, 1023]
let expPow2Frac: usize = 0; // 64 f64: 2^(j/64)

/** Samples per pass of the compressor and de-esser groups; the scratch holds 3·CHUNK f64, the compressor's constants, then CHUNK + 2 u32 (a list). */
const CHUNK: usize = 256;
let scratch: usize = 0;

/**
 * Bytes of the compressor's scratch (setMathTables' last argument): levels, targets and
 * gains (CHUNK f64 each), the constants block, then the list of CHUNK + 2 sample indices
 * (u32) that compressorTargets writes.
 */
export function compressorScratchBytes(): usize {
  return 3 * (CHUNK << 3) + COMPRESSOR_CONSTANTS + ((CHUNK + 2) << 2);
}

export function setMathTables(pow2NegK: usize, center: usize, invCenter: usize, logC: usize, pow2Int: usize, pow2Frac: usize, compressorScratch: usize): void {
  scratch = compressorScratch;
  logPow2NegK = pow2NegK;
  logCenter = center;
  logInvCenter = invCenter;
  logOfCenter = logC;
  expPow2Int = pow2Int;
  expPow2Frac = pow2Frac;
}

@inline function slot(p: usize, k: i32): f64 {
  return load<f64>(p + PAYLOAD + (<usize>k << 3));
}

const LOG_OFF: i32 = 0x3fe61000;
const MIN_NORMAL: f64 = 2.2250738585072014e-308;
const MAX_DOUBLE: f64 = 1.7976931348623157e308;
const TWO_54: f64 = 18014398509481984;
const LN2: f64 = 0.6931471805599453;

/** shared/dsp deterministicLog, operation for operation. */
function dlog(x: f64): f64 {
  if (!(x >= MIN_NORMAL && x <= MAX_DOUBLE)) {
    if (x > 0 && x < MIN_NORMAL) return dlog(x * TWO_54) - 54 * LN2;
    if (x == 0) return -Infinity;
    if (x == Infinity) return Infinity;
    return NaN;
  }
  const tmp = <i32>(reinterpret<i64>(x) >>> 32) - LOG_OFF;
  const k = tmp >> 20;
  const i = <usize>((tmp >> 13) & 127) << 3;
  const z = x * load<f64>(logPow2NegK + (<usize>(k + 1022) << 3));
  const r = (z - load<f64>(logCenter + i)) * load<f64>(logInvCenter + i);
  const r2 = r * r;
  const p = r + r2 * (-0.5 + r * (1.0 / 3.0) + r2 * (-0.25 + r * (1.0 / 5.0) + r2 * -(1.0 / 6.0)));
  return <f64>k * LN2 + load<f64>(logOfCenter + i) + p;
}

/** `dlog` on both lanes: the same operations per lane (tables read per lane). */
function dlog2(x: v128): v128 {
  const x0 = f64x2.extract_lane(x, 0);
  const x1 = f64x2.extract_lane(x, 1);
  if (!(x0 >= MIN_NORMAL && x0 <= MAX_DOUBLE && x1 >= MIN_NORMAL && x1 <= MAX_DOUBLE)) return pair(dlog(x0), dlog(x1));
  const t0 = <i32>(reinterpret<i64>(x0) >>> 32) - LOG_OFF;
  const t1 = <i32>(reinterpret<i64>(x1) >>> 32) - LOG_OFF;
  const k0 = t0 >> 20;
  const k1 = t1 >> 20;
  const i0 = <usize>((t0 >> 13) & 127) << 3;
  const i1 = <usize>((t1 >> 13) & 127) << 3;
  const z = f64x2.mul(x, pair(load<f64>(logPow2NegK + (<usize>(k0 + 1022) << 3)), load<f64>(logPow2NegK + (<usize>(k1 + 1022) << 3))));
  const r = f64x2.mul(f64x2.sub(z, pair(load<f64>(logCenter + i0), load<f64>(logCenter + i1))), pair(load<f64>(logInvCenter + i0), load<f64>(logInvCenter + i1)));
  const r2 = f64x2.mul(r, r);
  // r + r2 * (-0.5 + r * (1/3) + r2 * (-0.25 + r * (1/5) + r2 * -(1/6)))
  const inner = f64x2.add(f64x2.add(f64x2.splat(-0.25), f64x2.mul(r, f64x2.splat(1.0 / 5.0))), f64x2.mul(r2, f64x2.splat(-(1.0 / 6.0))));
  const mid = f64x2.add(f64x2.add(f64x2.splat(-0.5), f64x2.mul(r, f64x2.splat(1.0 / 3.0))), f64x2.mul(r2, inner));
  const poly = f64x2.add(r, f64x2.mul(r2, mid));
  return f64x2.add(f64x2.add(f64x2.mul(pair(<f64>k0, <f64>k1), f64x2.splat(LN2)), pair(load<f64>(logOfCenter + i0), load<f64>(logOfCenter + i1))), poly);
}

const SHIFTER: f64 = 6755399441055744;
const INV_LN2_64: f64 = 64 / 0.6931471805599453;
const LN2_64_HI: f64 = 6.9314718036912381649e-1 / 64;
const LN2_64_LO: f64 = 1.90821492927058770002e-10 / 64;
const LN_MAX_DOUBLE: f64 = 709.782712893384;
const LN_HALF_MIN_SUBNORMAL: f64 = -745.1332191019412;

/** shared/dsp deterministicExp, operation for operation. */
function dexp(y: f64): f64 {
  if (!(y >= -708 && y <= 708)) {
    if (y != y) return NaN;
    if (y > LN_MAX_DOUBLE) return Infinity;
    if (y < LN_HALF_MIN_SUBNORMAL) return 0;
    const h = dexp(y * 0.5);
    return h * h;
  }
  const qd = y * INV_LN2_64 + SHIFTER - SHIFTER;
  const r = y - qd * LN2_64_HI - qd * LN2_64_LO;
  const q = <i32>qd;
  const s = load<f64>(expPow2Int + (<usize>((q >> 6) + 1022) << 3)) * load<f64>(expPow2Frac + (<usize>(q & 63) << 3));
  const r2 = r * r;
  const e = r + r2 * (0.5 + r * (1.0 / 6.0) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0)));
  return s + s * e;
}

/** `dexp` on both lanes: the same operations per lane (tables read per lane). */
function dexp2(y: v128): v128 {
  const y0 = f64x2.extract_lane(y, 0);
  const y1 = f64x2.extract_lane(y, 1);
  if (!(y0 >= -708 && y0 <= 708 && y1 >= -708 && y1 <= 708)) {
    return f64x2.replace_lane(f64x2.splat(dexp(y0)), 1, dexp(y1));
  }
  const shifter = f64x2.splat(SHIFTER);
  const qd = f64x2.sub(f64x2.add(f64x2.mul(y, f64x2.splat(INV_LN2_64)), shifter), shifter);
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(qd, f64x2.splat(LN2_64_HI))), f64x2.mul(qd, f64x2.splat(LN2_64_LO)));
  const q0 = <i32>f64x2.extract_lane(qd, 0);
  const q1 = <i32>f64x2.extract_lane(qd, 1);
  const s = f64x2.mul(
    pair(load<f64>(expPow2Int + (<usize>((q0 >> 6) + 1022) << 3)), load<f64>(expPow2Int + (<usize>((q1 >> 6) + 1022) << 3))),
    pair(load<f64>(expPow2Frac + (<usize>(q0 & 63) << 3)), load<f64>(expPow2Frac + (<usize>(q1 & 63) << 3))),
  );
  const r2 = f64x2.mul(r, r);
  // r + r2 * (0.5 + r * SIXTH + r2 * (C24 + r * C120))
  const inner = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0)));
  const outer = f64x2.add(f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(1.0 / 6.0))), f64x2.mul(r2, inner));
  const e = f64x2.add(r, f64x2.mul(r2, outer));
  return f64x2.add(s, f64x2.mul(s, e));
}

@inline function pair(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** shared/dsp compressor's gainReduction (branch-free soft-knee curve). */
@inline function gainReduction(level: f64, T: f64, W: f64, halfW: f64, negSlope: f64, kneeCoef: f64): f64 {
  const over = level - T;
  const a = over + halfW;
  const b = a - W;
  const c = over - halfW;
  const t = 0.5 * (a + Math.abs(a)) - 0.5 * (b + Math.abs(b));
  return kneeCoef * t * t + negSlope * (0.5 * (c + Math.abs(c)));
}

/** One compressor sample on x (lanes L, R); returns the output lanes. */
@inline function compress(p: usize, x: v128): v128 {
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

/** Rounds both lanes to float32 and back: what storing into a Float32Array does. */
@inline function f32round(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/**
 * Runs the program at `prog` over `frames` samples: input channels at inL/inR (float32;
 * inR == inL for a mono input), output to outL/outR (outR == outL for a mono output, whose
 * lanes are equal). In place is allowed (out == in).
 *
 * BARRIERs split the program into groups run one after another over the whole block (the
 * output buffers carry the signal between them). Within a group every stage of a sample
 * runs together; but one sample's path through many stages is a long chain of dependent
 * operations, and the CPU only overlaps consecutive samples when a sample's work fits its
 * reorder window. So heavy stages (the compressor) get a group of their own.
 */
export function runChain(prog: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  let p = prog;
  let srcL = inL;
  let srcR = inR;
  while (true) {
    let end: usize;
    const kind = load<i32>(p);
    const size: usize = kind == COMP ? COMP_BYTES : kind == GATE ? GATE_BYTES : kind == DEESS ? DEESS_BYTES : kind == DELAY ? delayOpBytes(load<i32>(p, ARG0)) : 0;
    const after = size > 0 ? load<i32>(p + size) : -1;
    if (kind == GATE) {
      // createChainKernel.ts's groupBreaks always gives a gate a group of its own.
      if (after != BARRIER && after != END) unreachable();
      runGate(p, srcL, srcR, outL, outR, frames);
      end = p + size;
    } else if (kind == DEESS) {
      // createChainKernel.ts's groupBreaks always gives a de-esser a group of its own.
      if (after != BARRIER && after != END) unreachable();
      runDeesser(p, srcL, srcR, outL, outR, frames);
      end = p + size;
    } else if (kind == COMP && (after == BARRIER || after == END)) {
      runCompressor(p, srcL, srcR, outL, outR, frames);
      end = p + size;
    } else if (kind == DELAY) {
      // createChainKernel.ts's groupBreaks always gives a delay a group of its own.
      if (after != BARRIER && after != END) unreachable();
      runDelay(p, srcL, srcR, outL, outR, frames);
      end = p + size;
    } else if (eqStages(p) > 0) {
      end = runEq(p, srcL, srcR, outL, outR, frames);
    } else if (memoryless(p)) {
      end = runMemoryless(p, srcL, srcR, outL, outR, frames);
    } else end = runGroup(p, srcL, srcR, outL, outR, frames);
    if (frames == 0 || load<i32>(end) != BARRIER) break;
    p = end + BARRIER_BYTES;
    srcL = outL;
    srcR = outR;
  }
}

/** Whether the group at `p` holds only per-sample stateless ops (gains, sends, pans). */
function memoryless(p: usize): bool {
  let q = p;
  while (true) {
    const kind = load<i32>(q);
    if (kind == END || kind == BARRIER) return q != p;
    if (kind == GAIN || kind == SEND || kind == PAN_LEFT || kind == PAN_RIGHT || kind == PAN_MONO || kind == PAN_BALANCE) q += PAIR_OP_BYTES;
    else if (kind == ZERO || kind == SEND_ZERO) q += OP_HEADER_BYTES;
    else return false;
  }
}

/**
 * A group of stateless ops, two samples at a time: each channel's two samples share a
 * register (instead of a sample's left and right), so loads and stores are whole pairs and
 * the pan needs no lane shuffles. Per sample and channel it is `runGroup`'s arithmetic.
 */
function runMemoryless(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): usize {
  const n = <usize>frames;
  let i: usize = 0;
  for (; i + 3 < n; i += 4) memorylessStep4(p, inL, inR, outL, outR, i << 2);
  for (; i + 1 < n; i += 2) memorylessStep(p, inL, inR, outL, outR, i << 2, false);
  if (i < n) memorylessStep(p, inL, inR, outL, outR, i << 2, true);
  let q = p;
  while (load<i32>(q) != END && load<i32>(q) != BARRIER) {
    const kind = load<i32>(q);
    q += kind == ZERO || kind == SEND_ZERO ? OP_HEADER_BYTES : PAIR_OP_BYTES;
  }
  return q;
}

/** f32x4 splat of lane `lane` of the f64 pair at `a` (a float32 value stored as f64). */
@inline function splat32(a: usize, lane: i32): v128 {
  const g = f32x4.demote_f64x2_zero(v128.load(a));
  return lane == 0 ? v128.shuffle<f32>(g, g, 0, 0, 0, 0) : v128.shuffle<f32>(g, g, 1, 1, 1, 1);
}

/**
 * Four samples at byte offset `at` through the group at `p`, in float32 lanes. Every value
 * and gain here is a float32, and f32(a·b), f32(a + b) computed in double are the float32
 * product and sum exactly (a double's 53 bits hold a float32 product; for the sum, double
 * rounding is harmless with 53 >= 2·24 + 2 bits), so these are memorylessStep's results
 * with no conversions, twice the samples per instruction.
 */
@inline function memorylessStep4(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, at: usize): void {
  let l = v128.load(inL + at);
  let r = v128.load(inR + at);
  let q = p;
  while (true) {
    const kind = load<i32>(q);
    if (kind == GAIN) {
      const g = splat32(q + PAYLOAD, 0);
      l = f32x4.mul(l, g);
      r = f32x4.mul(r, g);
      q += GAIN_BYTES;
    } else if (kind == SEND) {
      const g = splat32(q + PAYLOAD, 0);
      v128.store(<usize>load<i32>(q, ARG0) + at, f32x4.mul(l, g));
      v128.store(<usize>load<i32>(q, ARG1) + at, f32x4.mul(r, g));
      q += SEND_BYTES;
    } else if (kind == PAN_LEFT) {
      // L' = L + f32(R·gl), R' = R·gr.
      l = f32x4.add(l, f32x4.mul(r, splat32(q + PAYLOAD, 0)));
      r = f32x4.mul(r, splat32(q + PAYLOAD, 1));
      q += PAN_LEFT_BYTES;
    } else if (kind == PAN_RIGHT) {
      // L' = L·gl, R' = R + f32(L·gr).
      r = f32x4.add(r, f32x4.mul(l, splat32(q + PAYLOAD, 1)));
      l = f32x4.mul(l, splat32(q + PAYLOAD, 0));
      q += PAN_RIGHT_BYTES;
    } else if (kind == PAN_MONO) {
      // Mono input (l == r): L' = M·gl, R' = M·gr.
      r = f32x4.mul(l, splat32(q + PAYLOAD, 1));
      l = f32x4.mul(l, splat32(q + PAYLOAD, 0));
      q += PAN_MONO_BYTES;
    } else if (kind == PAN_BALANCE) {
      // Balance: L' = L·gl, R' = R·gr.
      l = f32x4.mul(l, splat32(q + PAYLOAD, 0));
      r = f32x4.mul(r, splat32(q + PAYLOAD, 1));
      q += PAN_BALANCE_BYTES;
    } else if (kind == ZERO) {
      l = f32x4.splat(0);
      r = f32x4.splat(0);
      q += ZERO_BYTES;
    } else if (kind == SEND_ZERO) {
      v128.store(<usize>load<i32>(q, ARG0) + at, f32x4.splat(0));
      v128.store(<usize>load<i32>(q, ARG1) + at, f32x4.splat(0));
      q += SEND_ZERO_BYTES;
    } else {
      break;
    }
  }
  v128.store(outL + at, l);
  v128.store(outR + at, r);
}

/** Samples at byte offset `at` (two, or one when `single`) through the group at `p`. */
@inline function memorylessStep(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, at: usize, single: bool): void {
  let l = f64x2.promote_low_f32x4(single ? v128.load32_zero(inL + at) : v128.load64_zero(inL + at));
  let r = f64x2.promote_low_f32x4(single ? v128.load32_zero(inR + at) : v128.load64_zero(inR + at));
  let q = p;
  while (true) {
    const kind = load<i32>(q);
    if (kind == GAIN) {
      const g = v128.load(q, PAYLOAD);
      l = f32round(f64x2.mul(l, g));
      r = f32round(f64x2.mul(r, g));
      q += GAIN_BYTES;
    } else if (kind == SEND) {
      const g = v128.load(q, PAYLOAD);
      const sl = f32x4.demote_f64x2_zero(f64x2.mul(l, g));
      const sr = f32x4.demote_f64x2_zero(f64x2.mul(r, g));
      const bl = <usize>load<i32>(q, ARG0) + at;
      const br = <usize>load<i32>(q, ARG1) + at;
      if (single) {
        v128.store32_lane(bl, sl, 0);
        v128.store32_lane(br, sr, 0);
      } else {
        v128.store64_lane(bl, sl, 0);
        v128.store64_lane(br, sr, 0);
      }
      q += SEND_BYTES;
    } else if (kind == PAN_LEFT) {
      // L' = L + f32(R·gl), R' = R·gr.
      const gains = v128.load(q, PAYLOAD);
      const t = f32round(f64x2.mul(r, f64x2.splat(f64x2.extract_lane(gains, 0))));
      l = f32round(f64x2.add(l, t));
      r = f32round(f64x2.mul(r, f64x2.splat(f64x2.extract_lane(gains, 1))));
      q += PAN_LEFT_BYTES;
    } else if (kind == PAN_RIGHT) {
      // L' = L·gl, R' = R + f32(L·gr).
      const gains = v128.load(q, PAYLOAD);
      const t = f32round(f64x2.mul(l, f64x2.splat(f64x2.extract_lane(gains, 1))));
      r = f32round(f64x2.add(r, t));
      l = f32round(f64x2.mul(l, f64x2.splat(f64x2.extract_lane(gains, 0))));
      q += PAN_RIGHT_BYTES;
    } else if (kind == PAN_MONO) {
      // Mono input (l == r): L' = M·gl, R' = M·gr.
      const gains = v128.load(q, PAYLOAD);
      r = f32round(f64x2.mul(l, f64x2.splat(f64x2.extract_lane(gains, 1))));
      l = f32round(f64x2.mul(l, f64x2.splat(f64x2.extract_lane(gains, 0))));
      q += PAN_MONO_BYTES;
    } else if (kind == PAN_BALANCE) {
      // Balance: L' = L·gl, R' = R·gr.
      const gains = v128.load(q, PAYLOAD);
      l = f32round(f64x2.mul(l, f64x2.splat(f64x2.extract_lane(gains, 0))));
      r = f32round(f64x2.mul(r, f64x2.splat(f64x2.extract_lane(gains, 1))));
      q += PAN_BALANCE_BYTES;
    } else if (kind == ZERO) {
      l = f64x2.splat(0);
      r = f64x2.splat(0);
      q += ZERO_BYTES;
    } else if (kind == SEND_ZERO) {
      const bl = <usize>load<i32>(q, ARG0) + at;
      const br = <usize>load<i32>(q, ARG1) + at;
      if (single) {
        store<f32>(bl, 0);
        store<f32>(br, 0);
      } else {
        store<u64>(bl, 0);
        store<u64>(br, 0);
      }
      q += SEND_ZERO_BYTES;
    } else {
      break;
    }
  }
  const ol = f32x4.demote_f64x2_zero(l);
  const or = f32x4.demote_f64x2_zero(r);
  if (single) {
    v128.store32_lane(outL + at, ol, 0);
    v128.store32_lane(outR + at, or, 0);
  } else {
    v128.store64_lane(outL + at, ol, 0);
    v128.store64_lane(outR + at, or, 0);
  }
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
const COMPRESSOR_CONSTANTS: usize = 592;

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
function runCompressor(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
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

/** Bytes of a DELAY op of `length` frames (header, two tails, a scratch; 16-byte aligned). */
@inline function delayOpBytes(length: i32): usize {
  return (OP_HEADER_BYTES + DELAY_BYTES_PER_FRAME * <usize>length + 15) & ~15;
}

/**
 * A group that is one DELAY (a bypassed processor's latency L): block copies, as the
 * JavaScript BypassDelay does, so no per-sample work. The op keeps the last L input frames
 * per channel (tailL, tailR) and a scratch of L frames for in-place blocks.
 */
function runDelay(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  const length = <usize>load<i32>(p, ARG0);
  const tailL = p + PAYLOAD;
  const tailR = tailL + (length << 2);
  const save = tailR + (length << 2);
  if (inL == inR && outL == outR) {
    // A mono chain runs one buffer for both lanes: delay it once.
    delayChannel(tailL, save, length, inL, outL, <usize>frames);
  } else if (inL == inR && outL == inL) {
    // One mono source into two outputs, the left one in place: the right first, while the
    // source is still undelayed.
    delayChannel(tailR, save, length, inR, outR, <usize>frames);
    delayChannel(tailL, save, length, inL, outL, <usize>frames);
  } else {
    delayChannel(tailL, save, length, inL, outL, <usize>frames);
    delayChannel(tailR, save, length, inR, outR, <usize>frames);
  }
}

function delayChannel(tail: usize, save: usize, length: usize, src: usize, dst: usize, n: usize): void {
  if (n >= length) {
    memory.copy(save, src + ((n - length) << 2), length << 2); // the next tail, before dst may overwrite it
    memory.copy(dst + (length << 2), src, (n - length) << 2);
    memory.copy(dst, tail, length << 2);
    memory.copy(tail, save, length << 2);
  } else {
    memory.copy(save, src, n << 2);
    memory.copy(dst, tail, n << 2);
    memory.copy(tail, tail + (n << 2), (length - n) << 2);
    memory.copy(tail + ((length - n) << 2), save, n << 2);
  }
}

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
function runGate(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
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

/**
 * A group that is one de-esser: shared/dsp/deesser.ts's steady path operation for operation,
 * in passes over chunks of CHUNK samples (the compressor's scratch, free outside its own
 * group), as the JavaScript kernel runs it:
 * 1. the band-pass on both channels in the lanes of one register (the BiquadProcessor's
 *    double arithmetic, rounded to float32 as its Float32Array stores), the band kept as
 *    float32 pairs, and the linked band peak;
 * 2. the target of each sample past the threshold (listed in pass 1), two per register (dlog2);
 * 3. the branching one-pole in dB (the only recursion left);
 * 4. the gains two samples per register (dexp2) and y = x + (g − 1)·s, s the band (split)
 *    or the input (wide).
 * One long loop doing all four was instruction-bound: the CPU could not overlap samples.
 * A chunk with nothing past the threshold and no reduction left is y = x + 0·s (NaN stays
 * NaN as in JavaScript). A mono input has inR == inL, so both lanes are equal.
 */
function runDeesser(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
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
  // levels, then the reductions, per sample (f64); targets (f64); the band (f32 pairs).
  const levels = scratch;
  const targets = scratch + (CHUNK << 3);
  const band = scratch + (CHUNK << 4);
  // Indices of the samples past the threshold (u32): the compressor's list.
  const list = scratch + 3 * (CHUNK << 3) + COMPRESSOR_CONSTANTS;
  const dbPerNeper2 = f64x2.splat(dbPerNeper);
  const T2 = f64x2.splat(T);
  const negSlope2 = f64x2.splat(negSlope);
  const range2 = f64x2.splat(range);
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  for (let from: usize = 0; from < <usize>frames; from += CHUNK) {
    const n = min<usize>(CHUNK, <usize>frames - from);
    const base = from << 2;
    // 1. The band and its linked peak; count the samples past the threshold.
    let above: usize = 0;
    for (let j: usize = 0; j < n; j++) {
      const at = base + (j << 2);
      const x = pair(<f64>load<f32>(inL + at), <f64>load<f32>(inR + at));
      const y32 = f32x4.demote_f64x2_zero(
        f64x2.sub(f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(b0, x), f64x2.mul(b1, x1)), f64x2.mul(b2, x2)), f64x2.mul(a1, y1)), f64x2.mul(a2, y2)),
      );
      const y = f64x2.promote_low_f32x4(y32);
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      v128.store64_lane(band + (j << 3), y32, 0);
      const a = Math.abs(f64x2.extract_lane(y, 0));
      const b = Math.abs(f64x2.extract_lane(y, 1));
      const d = a - b;
      const peak = b + 0.5 * (d + Math.abs(d));
      store<f64>(levels + (j << 3), peak);
      store<f64>(targets + (j << 3), 0);
      store<u32>(list + (above << 2), <u32>j);
      above += <usize>(peak > thrLin);
    }
    if (above == 0 && gr == 0) {
      // No reduction anywhere in the chunk: g − 1 is 0.
      for (let j: usize = 0; j < n; j++) {
        const at = base + (j << 2);
        const x = pair(<f64>load<f32>(inL + at), <f64>load<f32>(inR + at));
        const s = wide ? x : f64x2.promote_low_f32x4(v128.load64_zero(band + (j << 3)));
        const out = f32x4.demote_f64x2_zero(f64x2.add(x, f64x2.mul(zero, s)));
        v128.store32_lane(outL + at, out, 0);
        v128.store32_lane(outR + at, out, 1);
      }
      continue;
    }
    // 2. The targets of the listed samples, two per register (an odd count repeats the last).
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
    // 3. The one-pole; the reductions replace the levels. Both branches' values are computed
    // and one is picked (the same operations as picking the coefficients first), so the
    // comparison is off the recursion's path.
    for (let j: usize = 0; j < n; j++) {
      const target = load<f64>(targets + (j << 3));
      const attack = attCoef * gr + attComp * target;
      const release = relCoef * gr + relComp * target;
      gr = select<f64>(attack, release, target > gr);
      gr = select<f64>(gr, 0, gr >= GR_FLOOR);
      if (gr > grPeak) grPeak = gr;
      store<f64>(levels + (j << 3), gr);
    }
    // 4. Gains (a reduction of 0 is g − 1 = 0 exactly) and the output, two samples at a time.
    if (n & 1) store<f64>(levels + (n << 3), 0);
    for (let j: usize = 0; j < n; j += 2) {
      const g = v128.load(levels + (j << 3));
      const gm1 = v128.bitselect(zero, f64x2.sub(dexp2(f64x2.mul(g, negNeperPerDb)), one), f64x2.eq(g, zero));
      for (let m: usize = 0; m < 2 && j + m < n; m++) {
        const at = base + ((j + m) << 2);
        const x = pair(<f64>load<f32>(inL + at), <f64>load<f32>(inR + at));
        const s = wide ? x : f64x2.promote_low_f32x4(v128.load64_zero(band + ((j + m) << 3)));
        const k = f64x2.splat(m == 0 ? f64x2.extract_lane(gm1, 0) : f64x2.extract_lane(gm1, 1));
        const out = f32x4.demote_f64x2_zero(f64x2.add(x, f64x2.mul(k, s)));
        v128.store32_lane(outL + at, out, 0);
        v128.store32_lane(outR + at, out, 1);
      }
    }
  }
  v128.store(history + (<usize>DEESS_X1_L << 3), x1);
  v128.store(history + (<usize>DEESS_X2_L << 3), x2);
  v128.store(history + (<usize>DEESS_Y1_L << 3), y1);
  v128.store(history + (<usize>DEESS_Y2_L << 3), y2);
  store<f64>(history + (<usize>DEESS_GAIN_REDUCTION << 3), gr);
  store<f64>(history + (<usize>DEESS_GR_PEAK << 3), grPeak);
}

/** One group of the program (up to a BARRIER or END) over the block; returns where it stopped. */
function runGroup(prog: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): usize {
  let end = prog;
  for (let i: usize = 0; i < <usize>frames; i++) {
    const at = i << 2;
    let x = f64x2.replace_lane(f64x2.splat(<f64>load<f32>(inL + at)), 1, <f64>load<f32>(inR + at));
    let p = prog;
    while (true) {
      const kind = load<i32>(p);
      if (kind == BIQUAD) {
        const x1 = v128.load(p, BIQUAD_X1);
        const y1 = v128.load(p, BIQUAD_Y1);
        let y = f64x2.mul(v128.load(p, BIQUAD_B0), x);
        y = f64x2.add(y, f64x2.mul(v128.load(p, BIQUAD_B1), x1));
        y = f64x2.add(y, f64x2.mul(v128.load(p, BIQUAD_B2), v128.load(p, BIQUAD_X2)));
        y = f64x2.sub(y, f64x2.mul(v128.load(p, BIQUAD_A1), y1));
        y = f64x2.sub(y, f64x2.mul(v128.load(p, BIQUAD_A2), v128.load(p, BIQUAD_Y2)));
        y = f32round(y);
        v128.store(p, x, BIQUAD_X1);
        v128.store(p, x1, BIQUAD_X2);
        v128.store(p, y, BIQUAD_Y1);
        v128.store(p, y1, BIQUAD_Y2);
        x = y;
        p += BIQUAD_BYTES;
      } else if (kind == GAIN) {
        x = f32round(f64x2.mul(x, v128.load(p, PAYLOAD)));
        p += GAIN_BYTES;
      } else if (kind == PAN_LEFT) {
        // L' = L + f32(R·gl), R' = R·gr (the spec's pan <= 0 branch).
        const r = f64x2.splat(f64x2.extract_lane(x, 1));
        const prod = f32round(f64x2.mul(r, v128.load(p, PAYLOAD)));
        const sum = f32round(f64x2.add(prod, x));
        x = v128.shuffle<f64>(sum, prod, 0, 3);
        p += PAN_LEFT_BYTES;
      } else if (kind == PAN_RIGHT) {
        // L' = L·gl, R' = R + f32(L·gr) (pan > 0).
        const l = f64x2.splat(f64x2.extract_lane(x, 0));
        const prod = f32round(f64x2.mul(l, v128.load(p, PAYLOAD)));
        const sum = f32round(f64x2.add(prod, x));
        x = v128.shuffle<f64>(prod, sum, 0, 3);
        p += PAN_RIGHT_BYTES;
      } else if (kind == PAN_MONO || kind == PAN_BALANCE) {
        // Mono (both lanes the same sample) or balance: (L·gl, R·gr).
        x = f32round(f64x2.mul(x, v128.load(p, PAYLOAD)));
        p += PAIR_OP_BYTES;
      } else if (kind == SEND) {
        const s = f32round(f64x2.mul(x, v128.load(p, PAYLOAD)));
        store<f32>(<usize>load<i32>(p, ARG0) + at, <f32>f64x2.extract_lane(s, 0));
        store<f32>(<usize>load<i32>(p, ARG1) + at, <f32>f64x2.extract_lane(s, 1));
        p += SEND_BYTES;
      } else if (kind == ZERO) {
        x = f64x2.splat(0);
        p += ZERO_BYTES;
      } else if (kind == COMP) {
        x = compress(p, x);
        p += COMP_BYTES;
      } else if (kind == SEND_ZERO) {
        store<f32>(<usize>load<i32>(p, ARG0) + at, 0);
        store<f32>(<usize>load<i32>(p, ARG1) + at, 0);
        p += SEND_ZERO_BYTES;
      } else if (kind == GAIN_AUTO) {
        // GainNode with an automated gain: x·g[i] (createAutomatedKernel.ts).
        x = f32round(f64x2.mul(x, f64x2.splat(<f64>load<f32>(<usize>load<i32>(p, ARG0) + at))));
        p += GAIN_AUTO_BYTES;
      } else if (kind == SEND_AUTO) {
        const s = f32round(f64x2.mul(x, f64x2.splat(<f64>load<f32>(<usize>load<i32>(p, ARG2) + at))));
        store<f32>(<usize>load<i32>(p, ARG0) + at, <f32>f64x2.extract_lane(s, 0));
        store<f32>(<usize>load<i32>(p, ARG1) + at, <f32>f64x2.extract_lane(s, 1));
        p += SEND_AUTO_BYTES;
      } else if (kind == PAN_AUTO) {
        // This frame's formula and gains (StereoPannerProcessor.processAutomated), as the PAN_* ops.
        const gains = v128.load(<usize>load<i32>(p, ARG0) + i * PAN_AUTO_BYTES_PER_FRAME);
        const law = load<i32>(<usize>load<i32>(p, ARG1) + at);
        if (law == PAN_AUTO_LEFT) {
          const r = f64x2.splat(f64x2.extract_lane(x, 1));
          const prod = f32round(f64x2.mul(r, gains));
          x = v128.shuffle<f64>(f32round(f64x2.add(prod, x)), prod, 0, 3);
        } else if (law == PAN_AUTO_RIGHT) {
          const l = f64x2.splat(f64x2.extract_lane(x, 0));
          const prod = f32round(f64x2.mul(l, gains));
          x = v128.shuffle<f64>(prod, f32round(f64x2.add(prod, x)), 0, 3);
        } else {
          x = f32round(f64x2.mul(x, gains));
        }
        p += PAN_AUTO_BYTES;
      } else if (kind == BIQUAD_AUTO) {
        // This frame's coefficients (BiquadProcessor.coefficientsPerFrame), runGroup's BIQUAD arithmetic.
        const c = <usize>load<i32>(p, ARG0) + i * BIQUAD_AUTO_BYTES_PER_FRAME;
        const x1 = v128.load(p, AUTO_X1);
        const y1 = v128.load(p, AUTO_Y1);
        let y = f64x2.mul(f64x2.splat(load<f64>(c)), x);
        y = f64x2.add(y, f64x2.mul(f64x2.splat(load<f64>(c, 8)), x1));
        y = f64x2.add(y, f64x2.mul(f64x2.splat(load<f64>(c, 16)), v128.load(p, AUTO_X2)));
        y = f64x2.sub(y, f64x2.mul(f64x2.splat(load<f64>(c, 24)), y1));
        y = f64x2.sub(y, f64x2.mul(f64x2.splat(load<f64>(c, 32)), v128.load(p, AUTO_Y2)));
        y = f32round(y);
        v128.store(p, x, AUTO_X1);
        v128.store(p, x1, AUTO_X2);
        v128.store(p, y, AUTO_Y1);
        v128.store(p, y1, AUTO_Y2);
        x = y;
        p += BIQUAD_AUTO_BYTES;
      } else {
        end = p; // END or BARRIER: where this group stops
        break;
      }
    }
    store<f32>(outL + at, <f32>f64x2.extract_lane(x, 0));
    store<f32>(outR + at, <f32>f64x2.extract_lane(x, 1));
  }
  return end;
}

/** Most biquads one specialised EQ loop runs (a strip has HPF, LPF and 4 bands). */
const EQ_MAX: i32 = 6;

/**
 * When the group at `p` is an EQ section (an optional GAIN, then 1..EQ_MAX BIQUADs and
 * nothing else), how many biquads it has; else 0.
 */
function eqStages(p: usize): i32 {
  let q = p;
  if (load<i32>(q) == GAIN) q += GAIN_BYTES;
  let n: i32 = 0;
  while (load<i32>(q) == BIQUAD) {
    n++;
    q += BIQUAD_BYTES;
  }
  const kind = load<i32>(q);
  return (kind == END || kind == BARRIER) && n <= EQ_MAX ? n : 0;
}

/** One biquad sample: runGroup's BIQUAD arithmetic, the state passed in registers. */
@inline function biquad(c: usize, x: v128, x1: v128, x2: v128, y1: v128, y2: v128): v128 {
  let y = f64x2.mul(v128.load(c, BIQUAD_B0), x);
  y = f64x2.add(y, f64x2.mul(v128.load(c, BIQUAD_B1), x1));
  y = f64x2.add(y, f64x2.mul(v128.load(c, BIQUAD_B2), x2));
  y = f64x2.sub(y, f64x2.mul(v128.load(c, BIQUAD_A1), y1));
  y = f64x2.sub(y, f64x2.mul(v128.load(c, BIQUAD_A2), y2));
  return f32round(y);
}

/**
 * An EQ section (see eqStages) over the block, with every biquad's state in locals rather
 * than in memory, and no per-sample dispatch: the interpreted loop of runGroup stored and
 * reloaded the state each sample, which put a store-to-load round trip into every
 * feedback path. Biquad k + 1's input history is biquad k's output history (its x1, x2 are
 * k's y1, y2), so a section of n biquads keeps 2 + 2n values. Same operations, same order
 * as runGroup: the samples are identical. A section without a GAIN multiplies by 1, which
 * leaves a float32 sample unchanged.
 */
function runEq(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): usize {
  const hasGain = load<i32>(p) == GAIN;
  const g = hasGain ? v128.load(p, PAYLOAD) : f64x2.splat(1);
  const c = hasGain ? p + GAIN_BYTES : p;
  const n = eqStages(p);
  const f = <usize>frames;
  if (n >= 3 && f >= <usize>(2 * n)) {
    // Software-pipelined: fill, steady state, drain (see pipelineFill).
    pipelineFill(g, c, n, inL, inR);
    if (n == 3) runEqPipelined3(g, c, inL, inR, outL, outR, f);
    else if (n == 4) runEqPipelined4(g, c, inL, inR, outL, outR, f);
    else if (n == 5) runEqPipelined5(g, c, inL, inR, outL, outR, f);
    else runEqPipelined6(g, c, inL, inR, outL, outR, f);
    pipelineDrain(c, n, outL, outR, f);
  } else if (n == 1) runEq1(g, c, inL, inR, outL, outR, f);
  else if (n == 2) runEq2(g, c, inL, inR, outL, outR, f);
  else if (n == 3) runEq3(g, c, inL, inR, outL, outR, f);
  else if (n == 4) runEq4(g, c, inL, inR, outL, outR, f);
  else if (n == 5) runEq5(g, c, inL, inR, outL, outR, f);
  else runEq6(g, c, inL, inR, outL, outR, f);
  return c + BIQUAD_BYTES * <usize>n;
}

/** One biquad sample with its state in its op (runGroup's BIQUAD), for the pipeline's fill and drain. */
function stepBiquad(c: usize, x: v128): v128 {
  const x1 = v128.load(c, BIQUAD_X1);
  const x2 = v128.load(c, BIQUAD_X2);
  const y1 = v128.load(c, BIQUAD_Y1);
  const y2 = v128.load(c, BIQUAD_Y2);
  const y = biquad(c, x, x1, x2, y1, y2);
  saveBiquad(c, x, x1, y, y1);
  return y;
}

/*
 * The software-pipelined EQ section. In the sequential loops (runEq1..6) every biquad of
 * a sample waits for the one before it: n biquads make a chain of n feedback recursions
 * whose skew is more than the CPU's reorder window holds, so they barely overlap (5
 * biquads: 10.3 ns a frame). Pipelined, step i runs biquad k on sample i - k, reading only
 * what the previous step left: the n recursions are independent within a step and run
 * side by side (5 biquads: ~6.5 ns). Same operations on the same values in the same order
 * per biquad, so the same samples.
 *
 * Registers in the steady state: the section's input history (x1, x2) and, per biquad k,
 * its last three outputs y1, y2, y3 (biquad k + 1's input and input history; the last
 * biquad keeps two). Between the phases the state is in the ops, in runGroup's format:
 * biquad k + 1 has consumed k's outputs up to y2, so its x1, x2 are k's y2, y3.
 *
 * Fill: samples 0 .. n-2 advance biquad k up to sample n-2-k (a staircase), one op-state
 * step at a time. Steady state: steps i = n-1 .. frames-1; the last biquad writes sample
 * i - (n-1). Drain: the samples frames-n+1 .. frames-1 that the later biquads still owe.
 */
function pipelineFill(g: v128, c: usize, n: i32, inL: usize, inR: usize): void {
  for (let s: i32 = 0; s <= n - 2; s++) {
    let x = eqInput(g, inL, inR, <usize>s << 2);
    for (let k: i32 = 0; k <= n - 2 - s; k++) x = stepBiquad(c + BIQUAD_BYTES * <usize>k, x);
  }
}

function pipelineDrain(c: usize, n: i32, outL: usize, outR: usize, frames: usize): void {
  for (let s = frames - <usize>n + 1; s < frames; s++) {
    const first = <i32>(frames - s); // the first biquad that has not reached sample s
    let x = v128.load(c + BIQUAD_BYTES * <usize>(first - 1), BIQUAD_Y1); // its input: the previous biquad's newest output
    for (let k = first; k < n; k++) x = stepBiquad(c + BIQUAD_BYTES * <usize>k, x);
    eqOutput(x, outL, outR, s << 2);
  }
}

function runEqPipelined3(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: usize): void {
  const c1 = c + BIQUAD_BYTES, c2 = c + 2 * BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2), a3 = v128.load(c1, BIQUAD_X2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2), b3 = v128.load(c2, BIQUAD_X2);
  let d1 = v128.load(c2, BIQUAD_Y1), d2 = v128.load(c2, BIQUAD_Y2);
  for (let i: usize = 2; i < frames; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, a1, a2, a3, b1, b2);
    const yd = biquad(c2, b1, b2, b3, d1, d2);
    x2 = x1; x1 = x;
    a3 = a2; a2 = a1; a1 = ya;
    b3 = b2; b2 = b1; b1 = yb;
    d2 = d1; d1 = yd;
    eqOutput(yd, outL, outR, (i - 2) << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a2, a3, b1, b2); // biquad k+1 read k's outputs
  saveBiquad(c2, b2, b3, d1, d2); // biquad k+1 read k's outputs
}

function runEqPipelined4(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: usize): void {
  const c1 = c + BIQUAD_BYTES, c2 = c + 2 * BIQUAD_BYTES, c3 = c + 3 * BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2), a3 = v128.load(c1, BIQUAD_X2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2), b3 = v128.load(c2, BIQUAD_X2);
  let d1 = v128.load(c2, BIQUAD_Y1), d2 = v128.load(c2, BIQUAD_Y2), d3 = v128.load(c3, BIQUAD_X2);
  let e1 = v128.load(c3, BIQUAD_Y1), e2 = v128.load(c3, BIQUAD_Y2);
  for (let i: usize = 3; i < frames; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, a1, a2, a3, b1, b2);
    const yd = biquad(c2, b1, b2, b3, d1, d2);
    const ye = biquad(c3, d1, d2, d3, e1, e2);
    x2 = x1; x1 = x;
    a3 = a2; a2 = a1; a1 = ya;
    b3 = b2; b2 = b1; b1 = yb;
    d3 = d2; d2 = d1; d1 = yd;
    e2 = e1; e1 = ye;
    eqOutput(ye, outL, outR, (i - 3) << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a2, a3, b1, b2); // biquad k+1 read k's outputs
  saveBiquad(c2, b2, b3, d1, d2); // biquad k+1 read k's outputs
  saveBiquad(c3, d2, d3, e1, e2); // biquad k+1 read k's outputs
}

function runEqPipelined5(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: usize): void {
  const c1 = c + BIQUAD_BYTES, c2 = c + 2 * BIQUAD_BYTES, c3 = c + 3 * BIQUAD_BYTES, c4 = c + 4 * BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2), a3 = v128.load(c1, BIQUAD_X2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2), b3 = v128.load(c2, BIQUAD_X2);
  let d1 = v128.load(c2, BIQUAD_Y1), d2 = v128.load(c2, BIQUAD_Y2), d3 = v128.load(c3, BIQUAD_X2);
  let e1 = v128.load(c3, BIQUAD_Y1), e2 = v128.load(c3, BIQUAD_Y2), e3 = v128.load(c4, BIQUAD_X2);
  let f1 = v128.load(c4, BIQUAD_Y1), f2 = v128.load(c4, BIQUAD_Y2);
  for (let i: usize = 4; i < frames; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, a1, a2, a3, b1, b2);
    const yd = biquad(c2, b1, b2, b3, d1, d2);
    const ye = biquad(c3, d1, d2, d3, e1, e2);
    const yf = biquad(c4, e1, e2, e3, f1, f2);
    x2 = x1; x1 = x;
    a3 = a2; a2 = a1; a1 = ya;
    b3 = b2; b2 = b1; b1 = yb;
    d3 = d2; d2 = d1; d1 = yd;
    e3 = e2; e2 = e1; e1 = ye;
    f2 = f1; f1 = yf;
    eqOutput(yf, outL, outR, (i - 4) << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a2, a3, b1, b2); // biquad k+1 read k's outputs
  saveBiquad(c2, b2, b3, d1, d2); // biquad k+1 read k's outputs
  saveBiquad(c3, d2, d3, e1, e2); // biquad k+1 read k's outputs
  saveBiquad(c4, e2, e3, f1, f2); // biquad k+1 read k's outputs
}

function runEqPipelined6(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: usize): void {
  const c1 = c + BIQUAD_BYTES, c2 = c + 2 * BIQUAD_BYTES, c3 = c + 3 * BIQUAD_BYTES, c4 = c + 4 * BIQUAD_BYTES, c5 = c + 5 * BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2), a3 = v128.load(c1, BIQUAD_X2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2), b3 = v128.load(c2, BIQUAD_X2);
  let d1 = v128.load(c2, BIQUAD_Y1), d2 = v128.load(c2, BIQUAD_Y2), d3 = v128.load(c3, BIQUAD_X2);
  let e1 = v128.load(c3, BIQUAD_Y1), e2 = v128.load(c3, BIQUAD_Y2), e3 = v128.load(c4, BIQUAD_X2);
  let f1 = v128.load(c4, BIQUAD_Y1), f2 = v128.load(c4, BIQUAD_Y2), f3 = v128.load(c5, BIQUAD_X2);
  let h1 = v128.load(c5, BIQUAD_Y1), h2 = v128.load(c5, BIQUAD_Y2);
  for (let i: usize = 5; i < frames; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, a1, a2, a3, b1, b2);
    const yd = biquad(c2, b1, b2, b3, d1, d2);
    const ye = biquad(c3, d1, d2, d3, e1, e2);
    const yf = biquad(c4, e1, e2, e3, f1, f2);
    const yh = biquad(c5, f1, f2, f3, h1, h2);
    x2 = x1; x1 = x;
    a3 = a2; a2 = a1; a1 = ya;
    b3 = b2; b2 = b1; b1 = yb;
    d3 = d2; d2 = d1; d1 = yd;
    e3 = e2; e2 = e1; e1 = ye;
    f3 = f2; f2 = f1; f1 = yf;
    h2 = h1; h1 = yh;
    eqOutput(yh, outL, outR, (i - 5) << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a2, a3, b1, b2); // biquad k+1 read k's outputs
  saveBiquad(c2, b2, b3, d1, d2); // biquad k+1 read k's outputs
  saveBiquad(c3, d2, d3, e1, e2); // biquad k+1 read k's outputs
  saveBiquad(c4, e2, e3, f1, f2); // biquad k+1 read k's outputs
  saveBiquad(c5, f2, f3, h1, h2); // biquad k+1 read k's outputs
}

/** A frame's (L, R) into the two f64 lanes, times the trim: the two float32s are loaded into one register and widened together. */
@inline function eqInput(g: v128, inL: usize, inR: usize, at: usize): v128 {
  return f32round(f64x2.mul(f64x2.promote_low_f32x4(v128.load32_lane(inR + at, v128.load32_zero(inL + at), 1)), g));
}

/** A frame's lanes (already float32 values) to outL/outR: narrowed together, stored lane by lane. */
@inline function eqOutput(y: v128, outL: usize, outR: usize, at: usize): void {
  const f = f32x4.demote_f64x2_zero(y);
  v128.store32_lane(outL + at, f, 0);
  v128.store32_lane(outR + at, f, 1);
}

/** Writes a biquad's state back into its op (x1, x2, y1, y2), as runGroup keeps it. */
@inline function saveBiquad(c: usize, x1: v128, x2: v128, y1: v128, y2: v128): void {
  v128.store(c, x1, BIQUAD_X1);
  v128.store(c, x2, BIQUAD_X2);
  v128.store(c, y1, BIQUAD_Y1);
  v128.store(c, y2, BIQUAD_Y2);
}

// runEq1..6 and runEqPipelined3..6 are one function per section size on purpose: the
// state must be named locals to live in registers, and AssemblyScript cannot unroll a loop
// over stages. runEq picks one; sections of 1-2 biquads and short blocks run sequentially.
function runEq1(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, n: usize): void {
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2);
  for (let i: usize = 0; i < n; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    x2 = x1; x1 = x; a2 = a1; a1 = ya;
    eqOutput(ya, outL, outR, i << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
}

function runEq2(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, n: usize): void {
  const c1 = c + BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2);
  for (let i: usize = 0; i < n; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, ya, a1, a2, b1, b2);
    x2 = x1; x1 = x; a2 = a1; a1 = ya; b2 = b1; b1 = yb;
    eqOutput(yb, outL, outR, i << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a1, a2, b1, b2);
}

function runEq3(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, n: usize): void {
  const c1 = c + BIQUAD_BYTES, c2 = c + 2 * BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2);
  let d1 = v128.load(c2, BIQUAD_Y1), d2 = v128.load(c2, BIQUAD_Y2);
  for (let i: usize = 0; i < n; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, ya, a1, a2, b1, b2);
    const yd = biquad(c2, yb, b1, b2, d1, d2);
    x2 = x1; x1 = x; a2 = a1; a1 = ya; b2 = b1; b1 = yb; d2 = d1; d1 = yd;
    eqOutput(yd, outL, outR, i << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a1, a2, b1, b2);
  saveBiquad(c2, b1, b2, d1, d2);
}

function runEq4(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, n: usize): void {
  const c1 = c + BIQUAD_BYTES, c2 = c + 2 * BIQUAD_BYTES, c3 = c + 3 * BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2);
  let d1 = v128.load(c2, BIQUAD_Y1), d2 = v128.load(c2, BIQUAD_Y2);
  let e1 = v128.load(c3, BIQUAD_Y1), e2 = v128.load(c3, BIQUAD_Y2);
  for (let i: usize = 0; i < n; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, ya, a1, a2, b1, b2);
    const yd = biquad(c2, yb, b1, b2, d1, d2);
    const ye = biquad(c3, yd, d1, d2, e1, e2);
    x2 = x1; x1 = x; a2 = a1; a1 = ya; b2 = b1; b1 = yb; d2 = d1; d1 = yd; e2 = e1; e1 = ye;
    eqOutput(ye, outL, outR, i << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a1, a2, b1, b2);
  saveBiquad(c2, b1, b2, d1, d2);
  saveBiquad(c3, d1, d2, e1, e2);
}

function runEq5(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, n: usize): void {
  const c1 = c + BIQUAD_BYTES, c2 = c + 2 * BIQUAD_BYTES, c3 = c + 3 * BIQUAD_BYTES, c4 = c + 4 * BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2);
  let d1 = v128.load(c2, BIQUAD_Y1), d2 = v128.load(c2, BIQUAD_Y2);
  let e1 = v128.load(c3, BIQUAD_Y1), e2 = v128.load(c3, BIQUAD_Y2);
  let f1 = v128.load(c4, BIQUAD_Y1), f2 = v128.load(c4, BIQUAD_Y2);
  for (let i: usize = 0; i < n; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, ya, a1, a2, b1, b2);
    const yd = biquad(c2, yb, b1, b2, d1, d2);
    const ye = biquad(c3, yd, d1, d2, e1, e2);
    const yf = biquad(c4, ye, e1, e2, f1, f2);
    x2 = x1; x1 = x; a2 = a1; a1 = ya; b2 = b1; b1 = yb; d2 = d1; d1 = yd; e2 = e1; e1 = ye; f2 = f1; f1 = yf;
    eqOutput(yf, outL, outR, i << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a1, a2, b1, b2);
  saveBiquad(c2, b1, b2, d1, d2);
  saveBiquad(c3, d1, d2, e1, e2);
  saveBiquad(c4, e1, e2, f1, f2);
}

function runEq6(g: v128, c: usize, inL: usize, inR: usize, outL: usize, outR: usize, n: usize): void {
  const c1 = c + BIQUAD_BYTES, c2 = c + 2 * BIQUAD_BYTES, c3 = c + 3 * BIQUAD_BYTES, c4 = c + 4 * BIQUAD_BYTES, c5 = c + 5 * BIQUAD_BYTES;
  let x1 = v128.load(c, BIQUAD_X1), x2 = v128.load(c, BIQUAD_X2);
  let a1 = v128.load(c, BIQUAD_Y1), a2 = v128.load(c, BIQUAD_Y2);
  let b1 = v128.load(c1, BIQUAD_Y1), b2 = v128.load(c1, BIQUAD_Y2);
  let d1 = v128.load(c2, BIQUAD_Y1), d2 = v128.load(c2, BIQUAD_Y2);
  let e1 = v128.load(c3, BIQUAD_Y1), e2 = v128.load(c3, BIQUAD_Y2);
  let f1 = v128.load(c4, BIQUAD_Y1), f2 = v128.load(c4, BIQUAD_Y2);
  let h1 = v128.load(c5, BIQUAD_Y1), h2 = v128.load(c5, BIQUAD_Y2);
  for (let i: usize = 0; i < n; i++) {
    const x = eqInput(g, inL, inR, i << 2);
    const ya = biquad(c, x, x1, x2, a1, a2);
    const yb = biquad(c1, ya, a1, a2, b1, b2);
    const yd = biquad(c2, yb, b1, b2, d1, d2);
    const ye = biquad(c3, yd, d1, d2, e1, e2);
    const yf = biquad(c4, ye, e1, e2, f1, f2);
    const yh = biquad(c5, yf, f1, f2, h1, h2);
    x2 = x1; x1 = x; a2 = a1; a1 = ya; b2 = b1; b1 = yb; d2 = d1; d1 = yd; e2 = e1; e1 = ye; f2 = f1; f1 = yf; h2 = h1; h1 = yh;
    eqOutput(yh, outL, outR, i << 2);
  }
  saveBiquad(c, x1, x2, a1, a2);
  saveBiquad(c1, a1, a2, b1, b2);
  saveBiquad(c2, b1, b2, d1, d2);
  saveBiquad(c3, d1, d2, e1, e2);
  saveBiquad(c4, e1, e2, f1, f2);
  saveBiquad(c5, f1, f2, h1, h2);
}
