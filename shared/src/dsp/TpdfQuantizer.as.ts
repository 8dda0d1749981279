// AssemblyScript, part of masterBus.wasm (masterBus.ts re-exports it): the twin of
// server/src/render/encode/TpdfQuantizer.ts.

/**
 * server/src/render/encode/TpdfQuantizer.ts's quantize for one or two channels, the same
 * operations in the same order: two xorshift32 draws per sample (frame-major), uniform
 * values u = s / 2^32 (exact as s · 2^-32), v = round(x · scale + u1 − u2) with JavaScript's
 * Math.round (ties toward +∞: floor, then up when the exact remainder is at least 0.5), then
 * clamped to [min, max] (f64 max/min: the same value as the JS comparisons, NaN kept) and
 * stored as i32 (NaN as 0, as an Int32Array stores it). Returns
 * the generator state after the block.
 */
export function tpdfQuantize(state: u32, inL: usize, inR: usize, out: usize, frames: i32, channels: i32, scale: f64, max: f64, min: f64): u32 {
  let s = state;
  let j: usize = 0;
  for (let i: usize = 0; i < <usize>frames; i++) {
    for (let c: i32 = 0; c < channels; c++) {
      s ^= s << 13;
      s ^= s >> 17;
      s ^= s << 5;
      const u1 = <f64>s * (1.0 / 4294967296.0);
      s ^= s << 13;
      s ^= s >> 17;
      s ^= s << 5;
      const u2 = <f64>s * (1.0 / 4294967296.0);
      const x = <f64>load<f32>((c == 0 ? inL : inR) + (i << 2));
      const y = x * scale + u1 - u2;
      // Without branches: the dither makes both the rounding and (rarely) the clamp
      // unpredictable, and a mispredicted branch per sample cost more than the rest.
      const f = Math.floor(y);
      const v = f + <f64>(y - f >= 0.5);
      const clamped = Math.min(Math.max(v, min), max); // NaN stays NaN, stored as 0
      store<i32>(out + (j << 2), clamped != clamped ? 0 : <i32>clamped);
      j++;
    }
  }
  return s;
}
