/// <reference path="./AudioWorkletGlobals.d.ts" />
import type { FromWorkletMessage, MeterProcessorOptions } from './WorkletMessage.ts';

/**
 * A side-chain tap (one input, no output) that reports the sample peak of each channel
 * every `reportFrames`. Peak metering is exact and cheap; loudness metering of the master
 * belongs to shared/dsp/loudness.
 */
export class MeterProcessor extends AudioWorkletProcessor {
  private readonly reportFrames: number;
  private peaks = [0, 0];
  private count = 0;
  private channels = 1;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    this.reportFrames = Math.max(128, (options.processorOptions as MeterProcessorOptions).reportFrames);
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0] ?? [];
    if (input.length > 0) this.channels = Math.min(2, input.length);
    for (let c = 0; c < Math.min(2, input.length); c++) {
      const x = input[c]!;
      let p = this.peaks[c]!;
      for (let i = 0; i < x.length; i++) {
        const a = Math.abs(x[i]!);
        if (a > p) p = a;
      }
      this.peaks[c] = p;
    }
    this.count += 128;
    if (this.count >= this.reportFrames) {
      const peak = this.peaks.slice(0, this.channels).map((p) => 20 * Math.log10(p));
      const m: FromWorkletMessage = { type: 'meter', peak };
      this.port.postMessage(m);
      this.peaks = [0, 0];
      this.count = 0;
    }
    return true;
  }
}
