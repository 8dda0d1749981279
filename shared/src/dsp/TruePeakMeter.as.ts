// AssemblyScript, part of masterBus.wasm (masterBus.ts re-exports it): the twin of
// shared/src/dsp/loudness/TruePeakMeter.ts.

import { TP_TAPS, TRUE_PEAK_HISTORY } from './masterBusLayout.generated.as';

// ---------------------------------------------------------------------------------------
// True-peak meter (TruePeakMeter, BS.1770-4 Annex 2), one channel per call. Two of the four
// phases share a v128 (phases 0|1 and 2|3), each lane summed like the JavaScript:
// (c0·x0) + (c1·x1) + ... + (c11·x11), x0 the newest sample. Non-finite samples are skipped
// (they neither enter the history nor the reading), so the finite ones are first packed
// behind the 11-sample history; the reading is the largest magnitude, which does not depend
// on the order in which the candidates are compared (all finite and >= 0).
//
// Channel state at `st`: f64 peak, f64 unused, then f64 history[11] (oldest first) and room
// for the block's samples.


// TP_TAPS (masterBusLayout.generated.ts): the tap pairs in the order the sums below use them,
// (phase 0, phase 1) then (phase 2, phase 3) for x0, then for x1, ... (constants from memory:
// V8 rebuilds a v128 constant at every use).

/** Feeds `frames` f32 samples at `input` to the meter at `st`; returns the reading so far. */
export function truePeak(st: usize, input: usize, frames: i32): f64 {
  const hist = st + 16;
  let n = 0;
  for (let i = 0; i < frames; i++) {
    const x = <f64>load<f32>(input + ((<usize>i) << 2));
    store<f64>(hist + ((<usize>(TRUE_PEAK_HISTORY + n)) << 3), x);
    // x - x is 0 for finite x, NaN for NaN and ±Infinity.
    n += i32(x - x == 0);
  }
  let acc = f64x2.splat(load<f64>(st));
  let acc2 = acc;
  // Two samples side by side (j and j + 1): independent sums that share the tap loads. Here x0
  // is sample j + 1 and x1 sample j: sample j sums x1..x12 (u, v), sample j + 1 x0..x11 (u2, v2).
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const b = hist + ((<usize>(TRUE_PEAK_HISTORY + j)) << 3);
    const x0 = v128.load64_splat(b + 8 - 0);
    const x1 = v128.load64_splat(b + 8 - 8);
    const x2 = v128.load64_splat(b + 8 - 16);
    const x3 = v128.load64_splat(b + 8 - 24);
    const x4 = v128.load64_splat(b + 8 - 32);
    const x5 = v128.load64_splat(b + 8 - 40);
    const x6 = v128.load64_splat(b + 8 - 48);
    const x7 = v128.load64_splat(b + 8 - 56);
    const x8 = v128.load64_splat(b + 8 - 64);
    const x9 = v128.load64_splat(b + 8 - 72);
    const x10 = v128.load64_splat(b + 8 - 80);
    const x11 = v128.load64_splat(b + 8 - 88);
    const x12 = v128.load64_splat(b + 8 - 96);
    let u = f64x2.mul(v128.load(TP_TAPS + 0), x1);
    let v = f64x2.mul(v128.load(TP_TAPS + 16), x1);
    let u2 = f64x2.mul(v128.load(TP_TAPS + 0), x0);
    let v2 = f64x2.mul(v128.load(TP_TAPS + 16), x0);
    { const cu = v128.load(TP_TAPS + 32); const cv = v128.load(TP_TAPS + 48);
      u = f64x2.add(u, f64x2.mul(cu, x2)); v = f64x2.add(v, f64x2.mul(cv, x2));
      u2 = f64x2.add(u2, f64x2.mul(cu, x1)); v2 = f64x2.add(v2, f64x2.mul(cv, x1)); }
    { const cu = v128.load(TP_TAPS + 64); const cv = v128.load(TP_TAPS + 80);
      u = f64x2.add(u, f64x2.mul(cu, x3)); v = f64x2.add(v, f64x2.mul(cv, x3));
      u2 = f64x2.add(u2, f64x2.mul(cu, x2)); v2 = f64x2.add(v2, f64x2.mul(cv, x2)); }
    { const cu = v128.load(TP_TAPS + 96); const cv = v128.load(TP_TAPS + 112);
      u = f64x2.add(u, f64x2.mul(cu, x4)); v = f64x2.add(v, f64x2.mul(cv, x4));
      u2 = f64x2.add(u2, f64x2.mul(cu, x3)); v2 = f64x2.add(v2, f64x2.mul(cv, x3)); }
    { const cu = v128.load(TP_TAPS + 128); const cv = v128.load(TP_TAPS + 144);
      u = f64x2.add(u, f64x2.mul(cu, x5)); v = f64x2.add(v, f64x2.mul(cv, x5));
      u2 = f64x2.add(u2, f64x2.mul(cu, x4)); v2 = f64x2.add(v2, f64x2.mul(cv, x4)); }
    { const cu = v128.load(TP_TAPS + 160); const cv = v128.load(TP_TAPS + 176);
      u = f64x2.add(u, f64x2.mul(cu, x6)); v = f64x2.add(v, f64x2.mul(cv, x6));
      u2 = f64x2.add(u2, f64x2.mul(cu, x5)); v2 = f64x2.add(v2, f64x2.mul(cv, x5)); }
    { const cu = v128.load(TP_TAPS + 192); const cv = v128.load(TP_TAPS + 208);
      u = f64x2.add(u, f64x2.mul(cu, x7)); v = f64x2.add(v, f64x2.mul(cv, x7));
      u2 = f64x2.add(u2, f64x2.mul(cu, x6)); v2 = f64x2.add(v2, f64x2.mul(cv, x6)); }
    { const cu = v128.load(TP_TAPS + 224); const cv = v128.load(TP_TAPS + 240);
      u = f64x2.add(u, f64x2.mul(cu, x8)); v = f64x2.add(v, f64x2.mul(cv, x8));
      u2 = f64x2.add(u2, f64x2.mul(cu, x7)); v2 = f64x2.add(v2, f64x2.mul(cv, x7)); }
    { const cu = v128.load(TP_TAPS + 256); const cv = v128.load(TP_TAPS + 272);
      u = f64x2.add(u, f64x2.mul(cu, x9)); v = f64x2.add(v, f64x2.mul(cv, x9));
      u2 = f64x2.add(u2, f64x2.mul(cu, x8)); v2 = f64x2.add(v2, f64x2.mul(cv, x8)); }
    { const cu = v128.load(TP_TAPS + 288); const cv = v128.load(TP_TAPS + 304);
      u = f64x2.add(u, f64x2.mul(cu, x10)); v = f64x2.add(v, f64x2.mul(cv, x10));
      u2 = f64x2.add(u2, f64x2.mul(cu, x9)); v2 = f64x2.add(v2, f64x2.mul(cv, x9)); }
    { const cu = v128.load(TP_TAPS + 320); const cv = v128.load(TP_TAPS + 336);
      u = f64x2.add(u, f64x2.mul(cu, x11)); v = f64x2.add(v, f64x2.mul(cv, x11));
      u2 = f64x2.add(u2, f64x2.mul(cu, x10)); v2 = f64x2.add(v2, f64x2.mul(cv, x10)); }
    { const cu = v128.load(TP_TAPS + 352); const cv = v128.load(TP_TAPS + 368);
      u = f64x2.add(u, f64x2.mul(cu, x12)); v = f64x2.add(v, f64x2.mul(cv, x12));
      u2 = f64x2.add(u2, f64x2.mul(cu, x11)); v2 = f64x2.add(v2, f64x2.mul(cv, x11)); }
    acc = f64x2.pmax(acc, f64x2.abs(x1));
    acc = f64x2.pmax(acc, f64x2.abs(u));
    acc = f64x2.pmax(acc, f64x2.abs(v));
    acc2 = f64x2.pmax(acc2, f64x2.abs(x0));
    acc2 = f64x2.pmax(acc2, f64x2.abs(u2));
    acc2 = f64x2.pmax(acc2, f64x2.abs(v2));
  }
  for (; j < n; j++) {
    const b = hist + ((<usize>(TRUE_PEAK_HISTORY + j)) << 3);
    const x0 = v128.load64_splat(b - 0);
    const x1 = v128.load64_splat(b - 8);
    const x2 = v128.load64_splat(b - 16);
    const x3 = v128.load64_splat(b - 24);
    const x4 = v128.load64_splat(b - 32);
    const x5 = v128.load64_splat(b - 40);
    const x6 = v128.load64_splat(b - 48);
    const x7 = v128.load64_splat(b - 56);
    const x8 = v128.load64_splat(b - 64);
    const x9 = v128.load64_splat(b - 72);
    const x10 = v128.load64_splat(b - 80);
    const x11 = v128.load64_splat(b - 88);
    let u = f64x2.mul(v128.load(TP_TAPS + 0), x0);
    let v = f64x2.mul(v128.load(TP_TAPS + 16), x0);
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 32), x1));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 48), x1));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 64), x2));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 80), x2));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 96), x3));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 112), x3));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 128), x4));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 144), x4));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 160), x5));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 176), x5));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 192), x6));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 208), x6));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 224), x7));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 240), x7));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 256), x8));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 272), x8));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 288), x9));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 304), x9));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 320), x10));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 336), x10));
    u = f64x2.add(u, f64x2.mul(v128.load(TP_TAPS + 352), x11));
    v = f64x2.add(v, f64x2.mul(v128.load(TP_TAPS + 368), x11));
    acc = f64x2.pmax(acc, f64x2.abs(x0));
    acc = f64x2.pmax(acc, f64x2.abs(u));
    acc = f64x2.pmax(acc, f64x2.abs(v));
  }
  acc = f64x2.pmax(acc, acc2);
  memory.copy(hist, hist + ((<usize>n) << 3), (<usize>TRUE_PEAK_HISTORY) << 3);
  const l = f64x2.extract_lane(acc, 0);
  const r = f64x2.extract_lane(acc, 1);
  const peak = r > l ? r : l;
  store<f64>(st, peak);
  return peak;
}
