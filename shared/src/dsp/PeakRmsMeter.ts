import { checkSampleRate } from './clampParam.ts';
import type { DspProcessor } from './DspProcessor.ts';

/** Per-channel linear peak (max |x|) and RMS since the previous reading. */
export interface MeterReading {
  peak: number[];
  rms: number[];
  /** Number of frames the reading covers. */
  frames: number;
}

/** The meter has no parameters. */
export type PeakRmsMeterParams = Record<string, never>;

/**
 * Peak and RMS block meter (pass-through). It accumulates max |x| and the sum of squares
 * per channel (up to 2) in `process` and hands them out in `takeReading()`, which starts a
 * new accumulation: the reading covers exactly the samples since the previous reading,
 * whatever the block size. (BS.1770 loudness and true peak live in `loudness/`.)
 */
export class PeakRmsMeter implements DspProcessor<PeakRmsMeterParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private readonly peak = new Float64Array(2);
  private readonly sumSq = new Float64Array(2);
  private count = 0;
  private channels = 0;

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
  }

  setParams(_p: Partial<PeakRmsMeterParams>): void {}

  snapParams(_p: Partial<PeakRmsMeterParams>): void {}

  getParams(): Readonly<PeakRmsMeterParams> {
    return {};
  }

  reset(): void {
    this.peak.fill(0);
    this.sumSq.fill(0);
    this.count = 0;
  }

  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const channels = Math.min(inputs.length, 2);
    if (channels > this.channels) this.channels = channels;
    for (let ch = 0; ch < channels; ch++) {
      const inp = inputs[ch]!;
      const out = outputs[ch];
      let p = this.peak[ch]!;
      let s = this.sumSq[ch]!;
      for (let i = 0; i < frames; i++) {
        const x = inp[i]!;
        const ax = x < 0 ? -x : x;
        if (ax > p) p = ax;
        s += x * x;
      }
      if (out !== undefined && out !== inp) for (let i = 0; i < frames; i++) out[i] = inp[i]!;
      this.peak[ch] = p;
      this.sumSq[ch] = s;
    }
    this.count += frames;
  }

  /** Peak and RMS (linear) per channel since the previous call; then starts over. */
  takeReading(): MeterReading {
    const n = this.channels;
    const reading: MeterReading = { peak: [], rms: [], frames: this.count };
    for (let ch = 0; ch < n; ch++) {
      reading.peak.push(this.peak[ch]!);
      reading.rms.push(this.count > 0 ? Math.sqrt(this.sumSq[ch]! / this.count) : 0);
    }
    this.reset();
    return reading;
  }
}
