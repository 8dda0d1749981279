// AssemblyScript, compiled into stripChain.wasm (stripChain.ts re-exports it): decoding of a
// block of a stem's WAV data straight into the bake worker's source buffers, which live in
// the module's memory so the strip chains read them where they are.
//
// Each function gives exactly what server/src/render/input/decodeWavFrames.ts gives (float32 bits
// copied; integer PCM x / 2^(bits-1), which is exact in float32: a small integer times a
// power of two), two to four frames per step. `src` may be read up to 16 bytes past the
// block's last frame (the caller's staging buffer has that slack).

/** Interleaved float32 stereo -> planar: four frames per step. */
export function decodeF32Stereo(src: usize, outL: usize, outR: usize, frames: i32): void {
  const n = <usize>frames;
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const a = v128.load(src + (i << 3));
    const b = v128.load(src + (i << 3), 16);
    v128.store(outL + (i << 2), v128.shuffle<f32>(a, b, 0, 2, 4, 6));
    v128.store(outR + (i << 2), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
  }
  for (; i < n; i++) {
    store<u32>(outL + (i << 2), load<u32>(src + (i << 3)));
    store<u32>(outR + (i << 2), load<u32>(src + (i << 3), 4));
  }
}

/** 16-bit PCM, mono or stereo (outR unused for mono): eight samples per step. */
export function decodePcm16(src: usize, outL: usize, outR: usize, frames: i32, channels: i32): void {
  const samples = <usize>frames * <usize>channels;
  const scale = f32x4.splat(1.0 / 32768.0);
  let s: usize = 0;
  for (; s + 8 <= samples; s += 8) {
    const v = v128.load(src + (s << 1));
    const lo = f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(v)), scale);
    const hi = f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(v)), scale);
    storePlanar(lo, hi, s, outL, outR, channels);
  }
  for (; s < samples; s++) storeSample(<f32>load<i16>(src + (s << 1)) * (1.0 / 32768.0), s, outL, outR, channels);
}

/** 24-bit PCM, mono or stereo: eight samples (24 bytes) per step. */
export function decodePcm24(src: usize, outL: usize, outR: usize, frames: i32, channels: i32): void {
  const samples = <usize>frames * <usize>channels;
  const scale = f32x4.splat(1.0 / 8388608.0);
  let s: usize = 0;
  for (; s + 8 <= samples; s += 8) {
    const p = src + s * 3;
    // Each 3-byte sample into the top three bytes of an i32 lane, then an arithmetic shift
    // sign-extends it (the ((v << 8) >> 8) of decodeWavFrames).
    const a = i8x16.swizzle(v128.load(p), i8x16(-1, 0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11));
    const b = i8x16.swizzle(v128.load(p, 12), i8x16(-1, 0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11));
    const lo = f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_s(a, 8)), scale);
    const hi = f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_s(b, 8)), scale);
    storePlanar(lo, hi, s, outL, outR, channels);
  }
  for (; s < samples; s++) {
    const p = src + s * 3;
    const v = <i32>load<u8>(p) | (<i32>load<u8>(p, 1) << 8) | (<i32>load<u8>(p, 2) << 16);
    storeSample(<f32>((v << 8) >> 8) * (1.0 / 8388608.0), s, outL, outR, channels);
  }
}

/** Eight decoded samples (interleaved if stereo) starting at sample s, to the planar outputs. */
@inline function storePlanar(lo: v128, hi: v128, s: usize, outL: usize, outR: usize, channels: i32): void {
  if (channels == 1) {
    v128.store(outL + (s << 2), lo);
    v128.store(outL + (s << 2), hi, 16);
  } else {
    const f = s >> 1;
    v128.store(outL + (f << 2), v128.shuffle<f32>(lo, hi, 0, 2, 4, 6));
    v128.store(outR + (f << 2), v128.shuffle<f32>(lo, hi, 1, 3, 5, 7));
  }
}

@inline function storeSample(x: f32, s: usize, outL: usize, outR: usize, channels: i32): void {
  if (channels == 1) store<f32>(outL + (s << 2), x);
  else store<f32>((s & 1 ? outR : outL) + ((s >> 1) << 2), x);
}
