import type { ChannelPeakMeter } from '@mixroom/shared/dsp';
import { TRUE_PEAK_HISTORY } from './masterBusLayout.ts';
import { MASTER_BUS_IO_FRAMES, MasterBusMemory } from './MasterBusMemory.ts';

/**
 * shared/dsp's TruePeakMeter (BS.1770-4 Annex 2, one channel) on WebAssembly SIMD for the
 * bake's loudness report: the same reading, bit for bit (see shared/src/dsp/TruePeakMeter.as.ts).
 */
export class WasmTruePeakMeter implements ChannelPeakMeter {
  private readonly mem = new MasterBusMemory();
  private readonly state: number;
  private readonly io: number;
  private peak = 0;

  constructor() {
    this.state = this.mem.alloc(16 + (TRUE_PEAK_HISTORY + MASTER_BUS_IO_FRAMES) * 8);
    this.io = this.mem.alloc(MASTER_BUS_IO_FRAMES * 4);
  }

  /** Feeds samples [start, end) of `input`. */
  process(input: Float32Array, start = 0, end = input.length): void {
    for (let off = start; off < end; off += MASTER_BUS_IO_FRAMES) {
      const n = Math.min(MASTER_BUS_IO_FRAMES, end - off);
      this.mem.f32.set(input.subarray(off, off + n), this.io >> 2);
      this.peak = this.mem.exports.truePeak(this.state, this.io, n);
    }
  }

  /** Highest absolute value seen so far, linear (1 = 0 dBTP). */
  get linearPeak(): number {
    return this.peak;
  }
}
