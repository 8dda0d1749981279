// AssemblyScript, part of masterBus.wasm (masterBus.ts re-exports it): the twin of
// shared/src/dsp/limiter.ts (LimiterProcessor with its TruePeakDetector).

import { BS1770_TAPS, LIMITER_CHUNK, TRUE_PEAK_TAPS } from './masterBusLayout.generated.as';

// ---------------------------------------------------------------------------------------
// Limiter. Left and right run in the two f64 lanes of a v128 (mono: both lanes carry the
// one channel, which is exactly what the JavaScript computes for mono, since it reads the
// same input as "right" and the stereo link of two equal channels is the channel itself).

let coef: usize = 0; // 3 * K v128 (both lanes the tap), phase-major: the long interpolator's phases 1..3
let K: i32 = 0; // taps per phase of the long interpolator
let D: i32 = 0; // detector delay (frames)
let L: i32 = 0; // lookahead (frames)
let Lf: f64 = 0;
let lat: i32 = 0; // audio delay (frames), > 0
let ceil: f64 = 0;
let clampAt: f32 = 0;
let oneMinusRel: f64 = 0;
let lin: usize = 0; // (K - 1 + LIMITER_CHUNK) v128: input history then the chunk, as f64 pairs
let peaks: usize = 0; // LIMITER_CHUNK v128: the chunk's true-peak estimates (left, right)
let audio: usize = 0; // lat v128: audio delay ring
let suffixMin: usize = 0; // L + 1 f64: suffix minima of the previous lookahead block, +Infinity at [L]
let blockReq: usize = 0; // L f64: the current block's required gains
let held: usize = 0; // L f64

let audioPos: i32 = 0;
let blockPos: i32 = 0; // position in the current block of L frames
let prefixMin: f64 = Infinity; // minimum of the current block so far
let heldPos: i32 = 0;
let heldSum: f64 = 0;
let gain: f64 = 1;
let prevInterp: f64 = 0;
let lastChunk: i32 = 0; // frames in the most recent detector pass

/** The limiter's gain after the last frame (tests compare it with the JavaScript's). */
export function limiterGain(): f64 {
  return gain;
}

/** Frames of the most recent detector pass, whose true-peak estimates are at the peaks buffer. */
export function limiterLastChunk(): i32 {
  return lastChunk;
}

/** Sets up a fresh limiter (the JavaScript's state right after reset + setParams). */
export function initLimiter(
  coefAt: usize, taps: i32, detectDelay: i32, lookahead: i32, latency: i32,
  ceiling: f64, clamp: f64, releaseCoef: f64,
  linAt: usize, peaksAt: usize, audioAt: usize, suffixMinAt: usize, blockReqAt: usize, heldAt: usize,
): void {
  coef = coefAt;
  K = taps;
  D = detectDelay;
  L = lookahead;
  Lf = <f64>lookahead;
  lat = latency;
  ceil = ceiling;
  clampAt = <f32>clamp;
  oneMinusRel = 1 - releaseCoef;
  lin = linAt;
  peaks = peaksAt;
  audio = audioAt;
  suffixMin = suffixMinAt;
  blockReq = blockReqAt;
  held = heldAt;
  memory.fill(lin, 0, (<usize>(K - 1 + LIMITER_CHUNK)) << 4);
  memory.fill(audio, 0, (<usize>lat) << 4);
  for (let k = 0; k < L; k++) store<f64>(held + ((<usize>k) << 3), 1.0);
  audioPos = 0;
  // No frames before the first: an empty previous block.
  for (let k = 0; k <= L; k++) store<f64>(suffixMin + ((<usize>k) << 3), Infinity);
  blockPos = 0;
  prefixMin = Infinity;
  heldPos = 0;
  heldSum = Lf;
  gain = 1;
  prevInterp = 0;
}

/** TruePeakDetector's largestMagnitude on both lanes: max |v| of the seven sums, NaN if any is NaN. */
@inline function largestMagnitude(a1: v128, a2: v128, a3: v128, q0: v128, q1: v128, q2: v128, q3: v128): v128 {
  const b1 = f64x2.abs(a1);
  const b2 = f64x2.abs(a2);
  const b3 = f64x2.abs(a3);
  const r0 = f64x2.abs(q0);
  const r1 = f64x2.abs(q1);
  const r2 = f64x2.abs(q2);
  const r3 = f64x2.abs(q3);
  // A maximum of non-NaN values is the same whatever the order of comparison.
  const m = f64x2.pmax(f64x2.pmax(f64x2.pmax(b1, b2), f64x2.pmax(b3, r0)), f64x2.pmax(f64x2.pmax(r1, r2), r3));
  // Magnitudes are >= 0, so their sum is NaN exactly when one of them is.
  const sum = f64x2.add(f64x2.add(f64x2.add(b1, b2), f64x2.add(b3, r0)), f64x2.add(f64x2.add(r1, r2), r3));
  return v128.bitselect(m, f64x2.splat(NaN), f64x2.eq(sum, sum));
}

// The limiter's detector reads BS1770_TAPS (the BS.1770-4 Annex 2 taps, phase-major): one
// phase's taps span PHASE_BYTES.
const PHASE_BYTES: usize = <usize>TRUE_PEAK_TAPS << 3;
/** The BS.1770 sums are taken this many frames back, where they cover the long interpolator's interval. */
const BS1770_BACK: i32 = 10;

@inline function swapLanes(v: v128): v128 {
  return i64x2.shuffle(v, v, 1, 0);
}

/** LimiterProcessor.process for `frames` frames of f32 input at inL/inR to outL/outR (in place is fine). */
export function limit(inL: usize, inR: usize, outL: usize, outR: usize, frames: i32, stereo: bool): void {
  const c = ceil;
  const cf = f32x4.splat(clampAt);
  const ncf = f32x4.splat(-clampAt);
  const hist = (<usize>(K - 1)) << 4;
  const pAt = coef + ((<usize>K) << 4);
  const qAt = coef + ((<usize>K) << 5);
  const cv = f64x2.splat(c);
  const one = f64x2.splat(1);
  let prevInterp2 = f64x2.splat(prevInterp);
  let pmin2 = f64x2.splat(prefixMin);
  for (let off = 0; off < frames; off += LIMITER_CHUNK) {
    const n = min(LIMITER_CHUNK, frames - off);
    // The chunk as f64 pairs after the K - 1 history frames.
    for (let j = 0; j < n; j++) {
      const at = (<usize>(off + j)) << 2;
      const l = <f64>load<f32>(inL + at);
      const r = stereo ? <f64>load<f32>(inR + at) : l;
      v128.store(lin + hist + ((<usize>j) << 4), f64x2.replace_lane(f64x2.splat(l), 1, r));
    }
    // True-peak estimates (TruePeakDetector.peaks): each sum from the newest sample back.
    // Two frames side by side: their sums are independent and share the tap loads.
    let j2 = 0;
    for (; j2 + 1 < n; j2 += 2) {
      const b = lin + hist + ((<usize>j2) << 4);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let d1 = f64x2.splat(0);
      let d2 = f64x2.splat(0);
      let d3 = f64x2.splat(0);
      for (let k = 0; k < K; k++) {
        const h = v128.load(b - ((<usize>k) << 4));
        const g = v128.load(b + 16 - ((<usize>k) << 4));
        const o = (<usize>k) << 4;
        const c1 = v128.load(coef + o);
        const c2 = v128.load(pAt + o);
        const c3 = v128.load(qAt + o);
        a1 = f64x2.add(a1, f64x2.mul(c1, h));
        a2 = f64x2.add(a2, f64x2.mul(c2, h));
        a3 = f64x2.add(a3, f64x2.mul(c3, h));
        d1 = f64x2.add(d1, f64x2.mul(c1, g));
        d2 = f64x2.add(d2, f64x2.mul(c2, g));
        d3 = f64x2.add(d3, f64x2.mul(c3, g));
      }
      const e = b - ((<usize>BS1770_BACK) << 4);
      let q0 = f64x2.splat(0);
      let q1 = f64x2.splat(0);
      let q2 = f64x2.splat(0);
      let q3 = f64x2.splat(0);
      let r0 = f64x2.splat(0);
      let r1 = f64x2.splat(0);
      let r2 = f64x2.splat(0);
      let r3 = f64x2.splat(0);
      for (let k = 0; k < 12; k++) {
        const h = v128.load(e - ((<usize>k) << 4));
        const g = v128.load(e + 16 - ((<usize>k) << 4));
        const o = (<usize>k) << 3;
        const u0 = v128.load64_splat(BS1770_TAPS + o);
        const u1 = v128.load64_splat(BS1770_TAPS + PHASE_BYTES + o);
        const u2 = v128.load64_splat(BS1770_TAPS + 2 * PHASE_BYTES + o);
        const u3 = v128.load64_splat(BS1770_TAPS + 3 * PHASE_BYTES + o);
        q0 = f64x2.add(q0, f64x2.mul(u0, h));
        q1 = f64x2.add(q1, f64x2.mul(u1, h));
        q2 = f64x2.add(q2, f64x2.mul(u2, h));
        q3 = f64x2.add(q3, f64x2.mul(u3, h));
        r0 = f64x2.add(r0, f64x2.mul(u0, g));
        r1 = f64x2.add(r1, f64x2.mul(u1, g));
        r2 = f64x2.add(r2, f64x2.mul(u2, g));
        r3 = f64x2.add(r3, f64x2.mul(u3, g));
      }
      v128.store(peaks + ((<usize>j2) << 4), largestMagnitude(a1, a2, a3, q0, q1, q2, q3));
      v128.store(peaks + ((<usize>j2) << 4) + 16, largestMagnitude(d1, d2, d3, r0, r1, r2, r3));
    }
    for (let j = j2; j < n; j++) {
      const b = lin + hist + ((<usize>j) << 4);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      for (let k = 0; k < K; k++) {
        const h = v128.load(b - ((<usize>k) << 4));
        const o = (<usize>k) << 4;
        a1 = f64x2.add(a1, f64x2.mul(v128.load(coef + o), h));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(pAt + o), h));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(qAt + o), h));
      }
      const e = b - ((<usize>BS1770_BACK) << 4);
      let q0 = f64x2.splat(0);
      let q1 = f64x2.splat(0);
      let q2 = f64x2.splat(0);
      let q3 = f64x2.splat(0);
      for (let k = 0; k < 12; k++) {
        const h = v128.load(e - ((<usize>k) << 4));
        const o = (<usize>k) << 3;
        q0 = f64x2.add(q0, f64x2.mul(v128.load64_splat(BS1770_TAPS + o), h));
        q1 = f64x2.add(q1, f64x2.mul(v128.load64_splat(BS1770_TAPS + PHASE_BYTES + o), h));
        q2 = f64x2.add(q2, f64x2.mul(v128.load64_splat(BS1770_TAPS + 2 * PHASE_BYTES + o), h));
        q3 = f64x2.add(q3, f64x2.mul(v128.load64_splat(BS1770_TAPS + 3 * PHASE_BYTES + o), h));
      }
      v128.store(peaks + ((<usize>j) << 4), largestMagnitude(a1, a2, a3, q0, q1, q2, q3));
    }
    for (let j = 0; j < n; j++) {
      const x = v128.load(lin + hist + ((<usize>j) << 4));
      // Stereo link: interp = max(left, right) and |x| D frames ago, by the JavaScript's comparisons.
      const pk2 = v128.load(peaks + ((<usize>j) << 4));
      const interp = f64x2.pmax(pk2, swapLanes(pk2));
      const s2 = f64x2.abs(v128.load(lin + ((<usize>(K - 1 + j - D)) << 4)));
      // pk = max(prevInterp, interp, |x|) by the JavaScript's comparisons, in lane 0 (no branches).
      const pkv = f64x2.pmax(f64x2.pmax(prevInterp2, interp), f64x2.pmax(s2, swapLanes(s2)));
      prevInterp2 = interp;
      const req = f64x2.extract_lane(v128.bitselect(f64x2.div(cv, pkv), one, f64x2.gt(pkv, cv)), 0);
      // Sliding minimum of req over the last L frames. The JavaScript keeps a monotonic deque;
      // this is van Herk / Gil-Werman (the window is the tail of the previous block of L frames
      // plus the head of the current one), branch-free. A minimum is exact whichever way it is
      // found (the values are positive, never NaN), so hmin is the same double.
      pmin2 = f64x2.pmin(pmin2, f64x2.splat(req));
      store<f64>(blockReq + ((<usize>blockPos) << 3), req);
      const hmin = f64x2.extract_lane(f64x2.pmin(v128.load64_zero(suffixMin + ((<usize>(blockPos + 1)) << 3)), pmin2), 0);
      if (++blockPos == L) {
        let m = Infinity;
        for (let k = L - 1; k >= 0; k--) {
          const r = load<f64>(blockReq + ((<usize>k) << 3));
          m = r < m ? r : m;
          store<f64>(suffixMin + ((<usize>k) << 3), m);
        }
        blockPos = 0;
        pmin2 = f64x2.splat(Infinity);
      }
      const hp = held + ((<usize>heldPos) << 3);
      heldSum += hmin - load<f64>(hp);
      store<f64>(hp, hmin);
      heldPos = heldPos + 1 == L ? 0 : heldPos + 1;
      if (heldPos == 0) {
        let s: f64 = 0;
        for (let k = 0; k < L; k++) s += load<f64>(held + ((<usize>k) << 3));
        heldSum = s;
      }
      let target = heldSum / Lf;
      if (target > 1) target = 1;
      gain = target <= gain ? target : gain + (target - gain) * oneMinusRel;
      const ap = audio + ((<usize>audioPos) << 4);
      const y = v128.load(ap);
      v128.store(ap, x);
      audioPos = audioPos + 1 == lat ? 0 : audioPos + 1;
      const o = f32x4.pmax(f32x4.pmin(f32x4.demote_f64x2_zero(f64x2.mul(y, f64x2.splat(gain))), cf), ncf);
      const at = (<usize>(off + j)) << 2;
      v128.store32_lane(outL + at, o, 0);
      if (stereo) v128.store32_lane(outR + at, o, 1);
    }
    memory.copy(lin, lin + ((<usize>n) << 4), hist);
    lastChunk = n;
  }
  prevInterp = f64x2.extract_lane(prevInterp2, 0);
  prefixMin = f64x2.extract_lane(pmin2, 0);
}
