import { MASTER_BUS_IO_FRAMES, MasterBusMemory } from '../simd/MasterBusMemory.ts';
import type { Quantize } from './MasterEncoder.ts';

/**
 * Float master -> signed integers at `bits`, with TPDF dither of +-1 LSB (the sum of two
 * independent uniform values): it decorrelates the requantisation error from the music so
 * fades end in smooth noise, not distortion. The noise generator is seeded, so the same
 * plan bakes to the same bytes and the same content hash every time.
 */
export class TpdfQuantizer {
  readonly bits: number;
  private readonly scale: number;
  private readonly max: number;
  private readonly min: number;
  private state: number;
  /** The master-bus module for mono and stereo (masterBus.ts tpdfQuantize: same integers, about 4x cheaper). */
  private wasm: { memory: MasterBusMemory; inL: number; inR: number; out: number } | null = null;

  constructor(bits: number, seed = 0x9e3779b9) {
    this.bits = bits;
    this.scale = 2 ** (bits - 1);
    this.max = this.scale - 1;
    this.min = -this.scale;
    this.state = seed >>> 0 || 1;
  }

  /** Interleaves `frames` frames of planar `channels` into `out` (length >= frames x channels). */
  quantize(channels: readonly Float32Array[], frames: number, out: Int32Array): void {
    if (channels.length > 2) {
      this.quantizeScalar(channels, frames, out);
      return;
    }
    if (!this.wasm) {
      const memory = new MasterBusMemory();
      this.wasm = { memory, inL: memory.alloc(4 * MASTER_BUS_IO_FRAMES), inR: memory.alloc(4 * MASTER_BUS_IO_FRAMES), out: memory.alloc(8 * MASTER_BUS_IO_FRAMES) };
    }
    const { memory, inL, inR, out: at } = this.wasm;
    const n = channels.length;
    for (let from = 0; from < frames; from += MASTER_BUS_IO_FRAMES) {
      const m = Math.min(MASTER_BUS_IO_FRAMES, frames - from);
      const f32 = memory.f32;
      f32.set(channels[0]!.subarray(from, from + m), inL >> 2);
      if (n === 2) f32.set(channels[1]!.subarray(from, from + m), inR >> 2);
      this.state = memory.exports.tpdfQuantize(this.state, inL, inR, at, m, n, this.scale, this.max, this.min) >>> 0;
      out.set(memory.i32.subarray(at >> 2, (at >> 2) + m * n), from * n);
    }
  }

  /** The reference loop (any channel count); the module computes the same integers. */
  quantizeScalar(channels: readonly Float32Array[], frames: number, out: Int32Array): void {
    const n = channels.length;
    const { scale, max, min } = this;
    let s = this.state;
    // Frame-major, so the noise sequence (and the file's bytes and hash) does not depend on
    // how the master was cut into blocks.
    for (let i = 0, j = 0; i < frames; i++) {
      for (let c = 0; c < n; c++, j++) {
        // xorshift32 twice: two uniform values in [0, 1), their difference is triangular in (-1, 1) LSB.
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const u1 = (s >>> 0) / 4294967296;
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const u2 = (s >>> 0) / 4294967296;
        const v = Math.round(channels[c]![i]! * scale + u1 - u2);
        out[j] = v > max ? max : v < min ? min : v;
      }
    }
    this.state = s >>> 0;
  }
}

/** An encoder's own quantiser (see MasterEncoderOptions.quantize). */
export function ownQuantizer(bits: number, seed?: number): Quantize {
  const q = new TpdfQuantizer(bits, seed);
  return (block, frames, out) => q.quantize(block, frames, out);
}
