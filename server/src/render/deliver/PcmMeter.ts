import { LoudnessMeter } from '@mixroom/shared/dsp/loudness';
import type { FormatMeasurement } from '@mixroom/shared/review';
import { WasmTruePeakMeter } from '../simd/WasmTruePeakMeter.ts';
import { toFormatMeasurement } from './toFormatMeasurement.ts';

/**
 * Measures a PCM file from the very integers written to it (dithered, clamped): loudness and
 * true peak of those samples as a decoder returns them (integer / 2^(bits-1), exact in
 * float32 up to 24 bits), and how many sit at the format's full-scale codes, i.e. clipped.
 */
export class PcmMeter {
  private readonly meter: LoudnessMeter;
  private readonly planar: Float32Array[];
  private readonly scale: number;
  private readonly max: number;
  private readonly min: number;
  private clipped = 0;

  constructor(
    sampleRate: number,
    private readonly channels: number,
    bits: number,
    maxBlockFrames: number,
  ) {
    this.meter = new LoudnessMeter(sampleRate, channels, { truePeakMeter: () => new WasmTruePeakMeter() });
    this.planar = Array.from({ length: channels }, () => new Float32Array(maxBlockFrames));
    this.scale = 1 / 2 ** (bits - 1);
    this.max = 2 ** (bits - 1) - 1;
    this.min = -(2 ** (bits - 1));
  }

  /** Feeds `frames` interleaved frames of quantised samples. */
  push(ints: Int32Array, frames: number): void {
    const n = this.channels;
    const { scale, max, min } = this;
    let clipped = 0;
    for (let c = 0; c < n; c++) {
      const out = this.planar[c]!;
      for (let i = 0, j = c; i < frames; i++, j += n) {
        const v = ints[j]!;
        if (v >= max || v <= min) clipped++;
        out[i] = v * scale;
      }
    }
    this.clipped += clipped;
    this.meter.process(this.planar.map((p) => p.subarray(0, frames)));
  }

  result(): FormatMeasurement {
    return toFormatMeasurement(this.meter.summary(), this.clipped, 0);
  }
}
