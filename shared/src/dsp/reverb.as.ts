// AssemblyScript, compiled into masterBus.wasm (masterBus.ts re-exports it): the aux buses'
// algorithmic reverb for the bake's main thread. A transcription of shared/src/dsp/reverb.ts
// (ReverbProcessor.process): the same float64 operations on the same operands in the same
// order, float32 where the JavaScript stores into its Float32Array delay lines and outputs,
// so the output is bit-identical (WebAssembly has no fused multiply-add). What it saves is
// the JavaScript's bounds checks and its ring-index branches (here selects).
//
// State block at `st`: REVERB_* offsets (server/src/render/simd/masterBusLayout.ts describes
// it; WasmReverb.ts writes it).

import {
  REVERB_DAMP_COEF, REVERB_DAMP_STATE, REVERB_DIFFUSER_BUFFERS, REVERB_DIFFUSER_GAIN, REVERB_DIFFUSER_LENGTHS,
  REVERB_DIFFUSER_POSITIONS, REVERB_LINE_BUFFERS, REVERB_LINE_GAINS, REVERB_LINE_LENGTHS, REVERB_LINE_POSITIONS,
  REVERB_NORM, REVERB_OUT_GAIN, REVERB_PRE_BUFFER, REVERB_PRE_FRAMES, REVERB_PRE_LENGTH, REVERB_PRE_POSITION,
} from './masterBusLayout.generated.as';

const G = REVERB_DIFFUSER_GAIN;

/** ReverbProcessor.process for `frames` frames; in1 = in0 for a mono input, out1 = 0 for a mono output. */
export function reverbProcess(st: usize, in0: usize, in1: usize, out0: usize, out1: usize, frames: i32): void {
  const a = load<f64>(st, REVERB_DAMP_COEF);
  const norm = load<f64>(st, REVERB_NORM);
  const g0 = load<f64>(st, REVERB_LINE_GAINS);
  const g1 = load<f64>(st, REVERB_LINE_GAINS + 8);
  const g2 = load<f64>(st, REVERB_LINE_GAINS + 16);
  const g3 = load<f64>(st, REVERB_LINE_GAINS + 24);
  const g4 = load<f64>(st, REVERB_LINE_GAINS + 32);
  const g5 = load<f64>(st, REVERB_LINE_GAINS + 40);
  const g6 = load<f64>(st, REVERB_LINE_GAINS + 48);
  const g7 = load<f64>(st, REVERB_LINE_GAINS + 56);
  let f0 = load<f64>(st, REVERB_DAMP_STATE);
  let f1 = load<f64>(st, REVERB_DAMP_STATE + 8);
  let f2 = load<f64>(st, REVERB_DAMP_STATE + 16);
  let f3 = load<f64>(st, REVERB_DAMP_STATE + 24);
  let f4 = load<f64>(st, REVERB_DAMP_STATE + 32);
  let f5 = load<f64>(st, REVERB_DAMP_STATE + 40);
  let f6 = load<f64>(st, REVERB_DAMP_STATE + 48);
  let f7 = load<f64>(st, REVERB_DAMP_STATE + 56);
  const n0 = load<i32>(st, REVERB_LINE_LENGTHS);
  const n1 = load<i32>(st, REVERB_LINE_LENGTHS + 4);
  const n2 = load<i32>(st, REVERB_LINE_LENGTHS + 8);
  const n3 = load<i32>(st, REVERB_LINE_LENGTHS + 12);
  const n4 = load<i32>(st, REVERB_LINE_LENGTHS + 16);
  const n5 = load<i32>(st, REVERB_LINE_LENGTHS + 20);
  const n6 = load<i32>(st, REVERB_LINE_LENGTHS + 24);
  const n7 = load<i32>(st, REVERB_LINE_LENGTHS + 28);
  let q0 = load<i32>(st, REVERB_LINE_POSITIONS);
  let q1 = load<i32>(st, REVERB_LINE_POSITIONS + 4);
  let q2 = load<i32>(st, REVERB_LINE_POSITIONS + 8);
  let q3 = load<i32>(st, REVERB_LINE_POSITIONS + 12);
  let q4 = load<i32>(st, REVERB_LINE_POSITIONS + 16);
  let q5 = load<i32>(st, REVERB_LINE_POSITIONS + 20);
  let q6 = load<i32>(st, REVERB_LINE_POSITIONS + 24);
  let q7 = load<i32>(st, REVERB_LINE_POSITIONS + 28);
  const na = load<i32>(st, REVERB_DIFFUSER_LENGTHS);
  const nb = load<i32>(st, REVERB_DIFFUSER_LENGTHS + 4);
  const nc = load<i32>(st, REVERB_DIFFUSER_LENGTHS + 8);
  const nd = load<i32>(st, REVERB_DIFFUSER_LENGTHS + 12);
  let pa = load<i32>(st, REVERB_DIFFUSER_POSITIONS);
  let pb = load<i32>(st, REVERB_DIFFUSER_POSITIONS + 4);
  let pc = load<i32>(st, REVERB_DIFFUSER_POSITIONS + 8);
  let pd = load<i32>(st, REVERB_DIFFUSER_POSITIONS + 12);
  const preLen = load<i32>(st, REVERB_PRE_LENGTH);
  let prePos = load<i32>(st, REVERB_PRE_POSITION);
  const preFrames = load<i32>(st, REVERB_PRE_FRAMES);
  const L0 = <usize>load<u32>(st, REVERB_LINE_BUFFERS);
  const L1 = <usize>load<u32>(st, REVERB_LINE_BUFFERS + 4);
  const L2 = <usize>load<u32>(st, REVERB_LINE_BUFFERS + 8);
  const L3 = <usize>load<u32>(st, REVERB_LINE_BUFFERS + 12);
  const L4 = <usize>load<u32>(st, REVERB_LINE_BUFFERS + 16);
  const L5 = <usize>load<u32>(st, REVERB_LINE_BUFFERS + 20);
  const L6 = <usize>load<u32>(st, REVERB_LINE_BUFFERS + 24);
  const L7 = <usize>load<u32>(st, REVERB_LINE_BUFFERS + 28);
  const da = <usize>load<u32>(st, REVERB_DIFFUSER_BUFFERS);
  const db = <usize>load<u32>(st, REVERB_DIFFUSER_BUFFERS + 4);
  const dc = <usize>load<u32>(st, REVERB_DIFFUSER_BUFFERS + 8);
  const dd = <usize>load<u32>(st, REVERB_DIFFUSER_BUFFERS + 12);
  const pre = <usize>load<u32>(st, REVERB_PRE_BUFFER);

  for (let i = 0; i < frames; i++) {
    const o = <usize>i << 2;
    // Mono input into the pre-delay (stored as float32, like the JavaScript's Float32Array).
    store<f32>(pre + (<usize>prePos << 2), <f32>(0.5 * (<f64>load<f32>(in0 + o) + <f64>load<f32>(in1 + o))));
    let r = prePos - preFrames;
    r = select(r + preLen, r, r < 0);
    let x = <f64>load<f32>(pre + (<usize>r << 2));
    prePos = select(0, prePos + 1, prePos + 1 == preLen);
    // Series allpass diffusion: y = -g·x + d; buffer = x + g·y.
    let y = <f64>load<f32>(da + (<usize>pa << 2)) - G * x;
    store<f32>(da + (<usize>pa << 2), <f32>(x + G * y));
    pa = select(0, pa + 1, pa + 1 == na);
    x = y;
    y = <f64>load<f32>(db + (<usize>pb << 2)) - G * x;
    store<f32>(db + (<usize>pb << 2), <f32>(x + G * y));
    pb = select(0, pb + 1, pb + 1 == nb);
    x = y;
    y = <f64>load<f32>(dc + (<usize>pc << 2)) - G * x;
    store<f32>(dc + (<usize>pc << 2), <f32>(x + G * y));
    pc = select(0, pc + 1, pc + 1 == nc);
    x = y;
    y = <f64>load<f32>(dd + (<usize>pd << 2)) - G * x;
    store<f32>(dd + (<usize>pd << 2), <f32>(x + G * y));
    pd = select(0, pd + 1, pd + 1 == nd);
    x = y;
    const s0 = <f64>load<f32>(L0 + (<usize>q0 << 2));
    const s1 = <f64>load<f32>(L1 + (<usize>q1 << 2));
    const s2 = <f64>load<f32>(L2 + (<usize>q2 << 2));
    const s3 = <f64>load<f32>(L3 + (<usize>q3 << 2));
    const s4 = <f64>load<f32>(L4 + (<usize>q4 << 2));
    const s5 = <f64>load<f32>(L5 + (<usize>q5 << 2));
    const s6 = <f64>load<f32>(L6 + (<usize>q6 << 2));
    const s7 = <f64>load<f32>(L7 + (<usize>q7 << 2));
    // Left to right from 0, as the JavaScript writes it (0 + -0 is +0).
    const oL = 0.0 + s0 - s1 + s2 - s3 + s4 - s5 + s6 - s7;
    const oR = 0.0 + s0 + s1 - s2 - s3 + s4 + s5 - s6 - s7;
    f0 = s0 + a * (f0 - s0);
    f1 = s1 + a * (f1 - s1);
    f2 = s2 + a * (f2 - s2);
    f3 = s3 + a * (f3 - s3);
    f4 = s4 + a * (f4 - s4);
    f5 = s5 + a * (f5 - s5);
    f6 = s6 + a * (f6 - s6);
    f7 = s7 + a * (f7 - s7);
    const v0 = f0 * g0;
    const v1 = f1 * g1;
    const v2 = f2 * g2;
    const v3 = f3 * g3;
    const v4 = f4 * g4;
    const v5 = f5 * g5;
    const v6 = f6 * g6;
    const v7 = f7 * g7;
    const h0 = v0 + v1;
    const h1 = v0 - v1;
    const h2 = v2 + v3;
    const h3 = v2 - v3;
    const h4 = v4 + v5;
    const h5 = v4 - v5;
    const h6 = v6 + v7;
    const h7 = v6 - v7;
    const k0 = h0 + h2;
    const k2 = h0 - h2;
    const k1 = h1 + h3;
    const k3 = h1 - h3;
    const k4 = h4 + h6;
    const k6 = h4 - h6;
    const k5 = h5 + h7;
    const k7 = h5 - h7;
    store<f32>(L0 + (<usize>q0 << 2), <f32>((k0 + k4) * norm + x));
    store<f32>(L1 + (<usize>q1 << 2), <f32>((k1 + k5) * norm - x));
    store<f32>(L2 + (<usize>q2 << 2), <f32>((k2 + k6) * norm + x));
    store<f32>(L3 + (<usize>q3 << 2), <f32>((k3 + k7) * norm - x));
    store<f32>(L4 + (<usize>q4 << 2), <f32>((k0 - k4) * norm + x));
    store<f32>(L5 + (<usize>q5 << 2), <f32>((k1 - k5) * norm - x));
    store<f32>(L6 + (<usize>q6 << 2), <f32>((k2 - k6) * norm + x));
    store<f32>(L7 + (<usize>q7 << 2), <f32>((k3 - k7) * norm - x));
    q0 = select(0, q0 + 1, q0 + 1 == n0);
    q1 = select(0, q1 + 1, q1 + 1 == n1);
    q2 = select(0, q2 + 1, q2 + 1 == n2);
    q3 = select(0, q3 + 1, q3 + 1 == n3);
    q4 = select(0, q4 + 1, q4 + 1 == n4);
    q5 = select(0, q5 + 1, q5 + 1 == n5);
    q6 = select(0, q6 + 1, q6 + 1 == n6);
    q7 = select(0, q7 + 1, q7 + 1 == n7);
    store<f32>(out0 + o, <f32>(REVERB_OUT_GAIN * oL));
    if (out1 != 0) store<f32>(out1 + o, <f32>(REVERB_OUT_GAIN * oR));
  }

  store<f64>(st, f0, REVERB_DAMP_STATE);
  store<f64>(st, f1, REVERB_DAMP_STATE + 8);
  store<f64>(st, f2, REVERB_DAMP_STATE + 16);
  store<f64>(st, f3, REVERB_DAMP_STATE + 24);
  store<f64>(st, f4, REVERB_DAMP_STATE + 32);
  store<f64>(st, f5, REVERB_DAMP_STATE + 40);
  store<f64>(st, f6, REVERB_DAMP_STATE + 48);
  store<f64>(st, f7, REVERB_DAMP_STATE + 56);
  store<i32>(st, q0, REVERB_LINE_POSITIONS);
  store<i32>(st, q1, REVERB_LINE_POSITIONS + 4);
  store<i32>(st, q2, REVERB_LINE_POSITIONS + 8);
  store<i32>(st, q3, REVERB_LINE_POSITIONS + 12);
  store<i32>(st, q4, REVERB_LINE_POSITIONS + 16);
  store<i32>(st, q5, REVERB_LINE_POSITIONS + 20);
  store<i32>(st, q6, REVERB_LINE_POSITIONS + 24);
  store<i32>(st, q7, REVERB_LINE_POSITIONS + 28);
  store<i32>(st, pa, REVERB_DIFFUSER_POSITIONS);
  store<i32>(st, pb, REVERB_DIFFUSER_POSITIONS + 4);
  store<i32>(st, pc, REVERB_DIFFUSER_POSITIONS + 8);
  store<i32>(st, pd, REVERB_DIFFUSER_POSITIONS + 12);
  store<i32>(st, prePos, REVERB_PRE_POSITION);
}
