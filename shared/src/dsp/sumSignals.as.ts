// AssemblyScript, compiled into stripChain.wasm (stripChain.ts re-exports it): the bus sums a
// bake worker computes for its tracks (see server/src/render/runtime/planSumChains.ts), on buffers in
// the module's memory. f32x4.add is IEEE float32 addition, so every sum is bit-identical to
// the scalar `out[i] = a[i] + b[i]` loop of SampleArena.ts, in the same order.

/** out[i] = a[i] + b[i] for i < frames (out may be a or b). */
export function addSignals(out: usize, a: usize, b: usize, frames: i32): void {
  const n = <usize>frames;
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const at = i << 2;
    v128.store(out + at, f32x4.add(v128.load(a + at), v128.load(b + at)));
  }
  for (; i < n; i++) store<f32>(out + (i << 2), load<f32>(a + (i << 2)) + load<f32>(b + (i << 2)));
}

/**
 * dst[i] = (((dst[i] + s1[i]) + s2[i]) + s3[i]) + s4[i], each add rounded to float32: four
 * sources per pass, so dst is loaded and stored once instead of four times.
 */
export function addSignals4(dst: usize, s1: usize, s2: usize, s3: usize, s4: usize, frames: i32): void {
  const n = <usize>frames;
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const at = i << 2;
    let v = f32x4.add(v128.load(dst + at), v128.load(s1 + at));
    v = f32x4.add(v, v128.load(s2 + at));
    v = f32x4.add(v, v128.load(s3 + at));
    v128.store(dst + at, f32x4.add(v, v128.load(s4 + at)));
  }
  for (; i < n; i++) {
    const at = i << 2;
    let x = load<f32>(dst + at) + load<f32>(s1 + at);
    x = x + load<f32>(s2 + at);
    x = x + load<f32>(s3 + at);
    store<f32>(dst + at, x + load<f32>(s4 + at));
  }
}
