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
// Program layout (16-byte aligned, written by SimdChain.ts):
//   op header: i32 kind, i32 unused x3 (16 bytes), then the op's payload:
//   GAIN  (1): v128 g (float32 gain, both lanes)                          -> 32 bytes
//   BIQUAD(2): v128 b0, b1, b2, a1, a2 (both lanes); v128 x1, x2, y1, y2   -> 160 bytes
//   PANL  (3): stereo input, pan <= 0: v128 (gl, gr)                      -> 32 bytes
//   PANR  (4): stereo input, pan > 0:  v128 (gl, gr)                      -> 32 bytes
//   PANM  (5): mono input (both lanes equal): v128 (gl, gr)               -> 32 bytes
//   DELAY (6): header i32 length L at +4, i32 position at +8; L v128 ring  -> 16 + 16 L
//   SEND  (7): header i32 left, right buffer addresses at +4/+8; v128 g   -> 32 bytes
//              (a gain node branching off the chain: writes f32(x·g), x goes on unchanged)
//   ZERO  (8): a gain of exactly 0 (GainNode-equivalent fill with +0)    -> 16 bytes
//   SEND0 (9): a send of gain 0: writes +0 to its buffers                 -> 16 bytes
//   END   (0)

const GAIN: i32 = 1;
const BIQUAD: i32 = 2;
const PANL: i32 = 3;
const PANR: i32 = 4;
const PANM: i32 = 5;
const DELAY: i32 = 6;
const SEND: i32 = 7;
const ZERO: i32 = 8;
const SEND0: i32 = 9;

/** Rounds both lanes to float32 and back: what storing into a Float32Array does. */
@inline function f32round(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/**
 * Runs the program at `prog` over `frames` samples: input channels at inL/inR (float32;
 * inR == inL for a mono input), output to outL/outR (outR == outL for a mono output, whose
 * lanes are equal). In place is allowed (out == in).
 */
export function runChain(prog: usize, inL: usize, inR: usize, outL: usize, outR: usize, frames: i32): void {
  for (let i: usize = 0; i < <usize>frames; i++) {
    const at = i << 2;
    let x = f64x2.replace_lane(f64x2.splat(<f64>load<f32>(inL + at)), 1, <f64>load<f32>(inR + at));
    let p = prog;
    while (true) {
      const kind = load<i32>(p);
      if (kind == BIQUAD) {
        const x1 = v128.load(p, 96);
        const y1 = v128.load(p, 128);
        let y = f64x2.mul(v128.load(p, 16), x);
        y = f64x2.add(y, f64x2.mul(v128.load(p, 32), x1));
        y = f64x2.add(y, f64x2.mul(v128.load(p, 48), v128.load(p, 112)));
        y = f64x2.sub(y, f64x2.mul(v128.load(p, 64), y1));
        y = f64x2.sub(y, f64x2.mul(v128.load(p, 80), v128.load(p, 144)));
        y = f32round(y);
        v128.store(p, x, 96);
        v128.store(p, x1, 112);
        v128.store(p, y, 128);
        v128.store(p, y1, 144);
        x = y;
        p += 160;
      } else if (kind == GAIN) {
        x = f32round(f64x2.mul(x, v128.load(p, 16)));
        p += 32;
      } else if (kind == PANL) {
        // L' = L + f32(R·gl), R' = R·gr (the spec's pan <= 0 branch).
        const r = f64x2.splat(f64x2.extract_lane(x, 1));
        const prod = f32round(f64x2.mul(r, v128.load(p, 16)));
        const sum = f32round(f64x2.add(prod, x));
        x = v128.shuffle<f64>(sum, prod, 0, 3);
        p += 32;
      } else if (kind == PANR) {
        // L' = L·gl, R' = R + f32(L·gr) (pan > 0).
        const l = f64x2.splat(f64x2.extract_lane(x, 0));
        const prod = f32round(f64x2.mul(l, v128.load(p, 16)));
        const sum = f32round(f64x2.add(prod, x));
        x = v128.shuffle<f64>(prod, sum, 0, 3);
        p += 32;
      } else if (kind == PANM) {
        x = f32round(f64x2.mul(x, v128.load(p, 16)));
        p += 32;
      } else if (kind == DELAY) {
        // A bypassed processor's latency: x comes out `length` samples later.
        const length = load<i32>(p, 4);
        const pos = load<i32>(p, 8);
        const slot = p + 16 + (<usize>pos << 4);
        const y = v128.load(slot);
        v128.store(slot, x);
        store<i32>(p, pos + 1 == length ? 0 : pos + 1, 8);
        x = y;
        p += 16 + (<usize>length << 4);
      } else if (kind == SEND) {
        const s = f32round(f64x2.mul(x, v128.load(p, 16)));
        store<f32>(<usize>load<i32>(p, 4) + at, <f32>f64x2.extract_lane(s, 0));
        store<f32>(<usize>load<i32>(p, 8) + at, <f32>f64x2.extract_lane(s, 1));
        p += 32;
      } else if (kind == ZERO) {
        x = f64x2.splat(0);
        p += 16;
      } else if (kind == SEND0) {
        store<f32>(<usize>load<i32>(p, 4) + at, 0);
        store<f32>(<usize>load<i32>(p, 8) + at, 0);
        p += 16;
      } else {
        break;
      }
    }
    store<f32>(outL + at, <f32>f64x2.extract_lane(x, 0));
    store<f32>(outR + at, <f32>f64x2.extract_lane(x, 1));
  }
}
