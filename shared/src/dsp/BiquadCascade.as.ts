// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/BiquadCascade.ts (and of
// biquad.ts's filter): an EQ section, an optional trim then up to six biquads, in one loop.

import {
  END, GAIN, BIQUAD, BARRIER, GAIN_BYTES, BIQUAD_BYTES, PAYLOAD, BIQUAD_B0, BIQUAD_B1, BIQUAD_B2, BIQUAD_A1,
  BIQUAD_A2, BIQUAD_X1, BIQUAD_X2, BIQUAD_Y1, BIQUAD_Y2,
} from './chainProgram.generated.as';
import { f32round } from './chainLanes.as';

/** Most biquads one specialised EQ loop runs (a strip has HPF, LPF and 4 bands). */
const EQ_MAX: i32 = 6;

/**
 * When the group at `p` is an EQ section (an optional GAIN, then 1..EQ_MAX BIQUADs and
 * nothing else), how many biquads it has; else 0.
 */
export function eqStages(p: usize): i32 {
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
@inline export function biquad(c: usize, x: v128, x1: v128, x2: v128, y1: v128, y2: v128): v128 {
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
export function runEq(p: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): usize {
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
export function pipelineFill(g: v128, c: usize, n: i32, inL: usize, inR: usize): void {
  for (let s: i32 = 0; s <= n - 2; s++) {
    let x = eqInput(g, inL, inR, <usize>s << 2);
    for (let k: i32 = 0; k <= n - 2 - s; k++) x = stepBiquad(c + BIQUAD_BYTES * <usize>k, x);
  }
}

export function pipelineDrain(c: usize, n: i32, outL: usize, outR: usize, frames: usize): void {
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
@inline export function eqInput(g: v128, inL: usize, inR: usize, at: usize): v128 {
  return f32round(f64x2.mul(f64x2.promote_low_f32x4(v128.load32_lane(inR + at, v128.load32_zero(inL + at), 1)), g));
}

/** A frame's lanes (already float32 values) to outL/outR: narrowed together, stored lane by lane. */
@inline export function eqOutput(y: v128, outL: usize, outR: usize, at: usize): void {
  const f = f32x4.demote_f64x2_zero(y);
  v128.store32_lane(outL + at, f, 0);
  v128.store32_lane(outR + at, f, 1);
}

/** Writes a biquad's state back into its op (x1, x2, y1, y2), as runGroup keeps it. */
@inline export function saveBiquad(c: usize, x1: v128, x2: v128, y1: v128, y2: v128): void {
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
