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
export { decodeF32Stereo, decodePcm16, decodePcm24 } from './decodeStem.as';
export { addSignals, addSignals4 } from './sumSignals.as';
export { compressorScratchBytes } from './compressor.as';
// A gate keyed by another track runs alone, called from createKeyedGateKernel.ts.
export { runGate } from './gate.as';

import { f32round, setScratch } from './chainLanes.as';
import { compress, runCompressor } from './compressor.as';
import { delayOpBytes, runDelay } from './BypassDelay.as';
import { runDeesser } from './deesser.as';
import { setExpTables } from './deterministicExp.as';
import { setLogTables } from './deterministicLog.as';
import { eqStages, runEq } from './BiquadCascade.as';
import { runEqGate, runEqGateEq4, runGate } from './gate.as';

import {
  END, GAIN, BIQUAD, PAN_LEFT, PAN_RIGHT, PAN_MONO, DELAY, SEND, ZERO, SEND_ZERO, COMP, BARRIER, PAN_BALANCE,
  GATE, DEESS, GAIN_AUTO, SEND_AUTO, PAN_AUTO, BIQUAD_AUTO, OP_HEADER_BYTES, PAIR_OP_BYTES, GAIN_BYTES,
  BIQUAD_BYTES, PAN_LEFT_BYTES, PAN_RIGHT_BYTES, PAN_MONO_BYTES, SEND_BYTES, ZERO_BYTES, SEND_ZERO_BYTES,
  COMP_BYTES, BARRIER_BYTES, PAN_BALANCE_BYTES, GATE_BYTES, DEESS_BYTES, GAIN_AUTO_BYTES, SEND_AUTO_BYTES,
  PAN_AUTO_BYTES, BIQUAD_AUTO_BYTES, PAN_AUTO_BYTES_PER_FRAME, BIQUAD_AUTO_BYTES_PER_FRAME, ARG0, ARG1, ARG2,
  PAYLOAD, BIQUAD_B0, BIQUAD_B1, BIQUAD_B2, BIQUAD_A1, BIQUAD_A2, BIQUAD_X1, BIQUAD_X2, BIQUAD_Y1, BIQUAD_Y2,
  AUTO_X1, AUTO_X2, AUTO_Y1, AUTO_Y2, PAN_AUTO_LEFT, PAN_AUTO_RIGHT,
} from './chainProgram.generated.as';

export function setMathTables(pow2NegK: usize, center: usize, invCenter: usize, logC: usize, pow2Int: usize, pow2Frac: usize, compressorScratch: usize): void {
  setScratch(compressorScratch);
  setLogTables(pow2NegK, center, invCenter, logC);
  setExpTables(pow2Int, pow2Frac);
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
    const fused = eqGateFused(p);
    const bands = fused > 0 ? eqAfterGate(fused) : 0;
    if (bands > 0 && frames >= 8) {
      // An EQ section of one biquad (the HPF), a gate, then four biquads (the EQ bands): one
      // pipelined loop (runEqGateEq4).
      runEqGateEq4(p, fused, bands, srcL, srcR, outL, outR, frames);
      end = bands + 4 * BIQUAD_BYTES;
    } else if (fused > 0) {
      // An EQ section of one biquad (the HPF), then a gate: one loop (runEqGate).
      runEqGate(p, fused, srcL, srcR, outL, outR, frames);
      end = fused + GATE_BYTES;
    } else if (kind == GATE) {
      // createChainKernel.ts's groupBreaks always gives a gate a group of its own. Its key:
      // another node's buffers (arguments 0-1), or its input.
      if (after != BARRIER && after != END) unreachable();
      const keyL = <usize>load<i32>(p, ARG0);
      runGate(p, keyL != 0 ? keyL : srcL, keyL != 0 ? <usize>load<i32>(p, ARG1) : srcR, srcL, srcR, outL, outR, frames);
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

/**
 * When the group at `p` is an EQ section of one biquad (eqStages) and the next group is a
 * gate alone, the gate's op; else 0.
 */
function eqGateFused(p: usize): usize {
  let barrier = p + (load<i32>(p) == GAIN ? GAIN_BYTES : 0) + BIQUAD_BYTES;
  // A tap (a SEND of gain 1 after the biquad: another gate's key) is written by the loop too.
  const tap = load<i32>(barrier) == SEND && i64x2.all_true(f64x2.eq(v128.load(barrier, PAYLOAD), f64x2.splat(1))) ? barrier : 0;
  if (tap != 0) {
    if (load<i32>(p) == GAIN ? load<i32>(p + GAIN_BYTES) != BIQUAD : load<i32>(p) != BIQUAD) return 0;
    barrier += SEND_BYTES;
  } else if (eqStages(p) != 1) return 0;
  if (load<i32>(barrier) != BARRIER) return 0;
  const gate = barrier + BARRIER_BYTES;
  if (load<i32>(gate) != GATE) return 0;
  const after = load<i32>(gate + GATE_BYTES);
  return after == BARRIER || after == END ? gate : 0;
}

/**
 * When the gate at `gate` (a group of its own) is followed by an EQ section of four biquads
 * without a trim, that section's first op; else 0.
 */
function eqAfterGate(gate: usize): usize {
  const barrier = gate + GATE_BYTES;
  if (load<i32>(barrier) != BARRIER) return 0;
  const q = barrier + BARRIER_BYTES;
  return load<i32>(q) == BIQUAD && eqStages(q) == 4 ? q : 0;
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
