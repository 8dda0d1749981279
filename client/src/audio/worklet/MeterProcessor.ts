/// <reference path="./AudioWorkletGlobals.d.ts" />
import { LoudnessMeter } from '@mixroom/shared/dsp';
import type { FromWorkletMessage, MeterProcessorOptions } from './WorkletMessage.ts';

/**
 * A tap (one input, no output; Chromium pulls output-less worklets) reporting the sample
 * peak of each channel every `reportFrames`, and for the master the BS.1770 momentary and
 * short-term loudness from shared/dsp's LoudnessMeter.
 */
export class MeterProcessor extends AudioWorkletProcessor {
  private readonly reportFrames: number;
  private readonly loudness: LoudnessMeter | null;
  private readonly silence = [new Float32Array(128), new Float32Array(128)];
  private peaks = [0, 0];
  private count = 0;
  private channels = 1;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const opts = options.processorOptions as MeterProcessorOptions;
    this.reportFrames = Math.max(128, opts.reportFrames);
    this.loudness = opts.loudness ? new LoudnessMeter(sampleRate, 2) : null;
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0] ?? [];
    const frames = input[0]?.length ?? 128;
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
    if (this.loudness) {
      // An inactive input (zero channels) is silence, which loudness must count too.
      const l = input[0] ?? this.silence[0]!;
      this.loudness.process([l, input[1] ?? l]);
    }
    this.count += frames;
    if (this.count >= this.reportFrames) {
      const m: FromWorkletMessage = { type: 'meter', peak: this.peaks.slice(0, this.channels).map((p) => 20 * Math.log10(p)) };
      if (this.loudness) {
        m.momentary = this.loudness.momentary();
        m.shortTerm = this.loudness.shortTerm();
      }
      this.port.postMessage(m);
      this.peaks = [0, 0];
      this.count = 0;
    }
    return true;
  }
}
