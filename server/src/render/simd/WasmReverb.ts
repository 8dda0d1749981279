import type { ReverbLayout } from '@mixroom/shared/dsp';
import { REVERB_DIFFUSERS, REVERB_LINES, REVERB_STATE as S } from './masterBusLayout.ts';
import { MASTER_BUS_IO_FRAMES, MasterBusMemory } from './MasterBusMemory.ts';

/**
 * shared/dsp's ReverbProcessor on WebAssembly for the bake's aux buses: the same samples bit
 * for bit (see shared/src/dsp/reverb.as.ts), started from silence with fixed parameters, which
 * is how the bake runs a plan's reverb node. About 3x less main-thread CPU than the
 * JavaScript (no bounds checks, no ring-index branches).
 */
export class WasmReverb {
  readonly latencyFrames = 0;
  private readonly mem = new MasterBusMemory();
  private readonly state: number;
  private readonly ioIn: [number, number];
  private readonly ioOut: [number, number];

  constructor(layout: ReverbLayout) {
    const { lineLengths, lineGains, diffuserLengths } = layout;
    if (lineLengths.length !== REVERB_LINES || lineGains.length !== REVERB_LINES || diffuserLengths.length !== REVERB_DIFFUSERS) throw new RangeError('WasmReverb: unsupported reverb layout');
    const m = this.mem;
    const st = m.alloc(S.BYTES);
    const lines = lineLengths.map((n) => m.alloc(n * 4));
    const diffusers = diffuserLengths.map((n) => m.alloc(n * 4));
    const pre = m.alloc(layout.preDelayLength * 4);
    this.ioIn = [m.alloc(MASTER_BUS_IO_FRAMES * 4), m.alloc(MASTER_BUS_IO_FRAMES * 4)];
    this.ioOut = [m.alloc(MASTER_BUS_IO_FRAMES * 4), m.alloc(MASTER_BUS_IO_FRAMES * 4)];
    this.state = st;
    const f64 = m.f64;
    const i32 = m.i32;
    f64[(st + S.DAMP_COEF) >> 3] = layout.dampCoef;
    f64[(st + S.NORM) >> 3] = 1 / Math.sqrt(8); // the JavaScript's `norm`
    lineGains.forEach((g, k) => (f64[((st + S.LINE_GAINS) >> 3) + k] = g));
    // Damping states and every position start at 0 (alloc zero-fills).
    lineLengths.forEach((n, k) => (i32[((st + S.LINE_LENGTHS) >> 2) + k] = n));
    diffuserLengths.forEach((n, k) => (i32[((st + S.DIFFUSER_LENGTHS) >> 2) + k] = n));
    i32[(st + S.PRE_LENGTH) >> 2] = layout.preDelayLength;
    i32[(st + S.PRE_FRAMES) >> 2] = layout.preDelayFrames;
    lines.forEach((at, k) => (i32[((st + S.LINE_BUFFERS) >> 2) + k] = at));
    diffusers.forEach((at, k) => (i32[((st + S.DIFFUSER_BUFFERS) >> 2) + k] = at));
    i32[(st + S.PRE_BUFFER) >> 2] = pre;
  }

  /** ReverbProcessor.process: a mono input feeds both sides of the sum; a mono output gets the left. */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const stereoIn = inputs.length > 1;
    const stereoOut = outputs.length > 1;
    const [inL, inR] = this.ioIn;
    const [outL, outR] = this.ioOut;
    for (let off = 0; off < frames; off += MASTER_BUS_IO_FRAMES) {
      const n = Math.min(MASTER_BUS_IO_FRAMES, frames - off);
      const f32 = this.mem.f32;
      f32.set(inputs[0]!.subarray(off, off + n), inL >> 2);
      if (stereoIn) f32.set(inputs[1]!.subarray(off, off + n), inR >> 2);
      this.mem.exports.reverbProcess(this.state, inL, stereoIn ? inR : inL, outL, stereoOut ? outR : 0, n);
      outputs[0]!.set(f32.subarray(outL >> 2, (outL >> 2) + n), off);
      if (stereoOut) outputs[1]!.set(f32.subarray(outR >> 2, (outR >> 2) + n), off);
    }
  }
}
