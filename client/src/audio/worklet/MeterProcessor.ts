/// <reference path="./AudioWorkletGlobals.d.ts" />
import { LoudnessMeter, PeakRmsMeter } from '@mixroom/shared/dsp';
import type { FromWorkletMessage, MeterProcessorOptions } from './WorkletMessage.ts';

const NO_OUTPUTS: Float32Array[] = [];
const toDb = (x: number) => 20 * Math.log10(x);

/**
 * A tap (one input, no output; Chromium pulls output-less worklets) around shared/dsp's
 * PeakRmsMeter, reporting peak and RMS per channel every `reportFrames`, and for the master
 * the BS.1770 momentary and short-term loudness of shared/dsp's LoudnessMeter.
 */
export class MeterProcessor extends AudioWorkletProcessor {
  private readonly reportFrames: number;
  private readonly meter = new PeakRmsMeter(sampleRate);
  private readonly loudness: LoudnessMeter | null;
  private readonly silence = new Float32Array(128);
  private count = 0;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const opts = options.processorOptions as MeterProcessorOptions;
    this.reportFrames = Math.max(128, opts.reportFrames);
    this.loudness = opts.loudness ? new LoudnessMeter(sampleRate, 2) : null;
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0] ?? [];
    const frames = input[0]?.length ?? 128;
    if (input.length > 0) this.meter.process(input, NO_OUTPUTS, frames);
    if (this.loudness) {
      // An inactive input (zero channels) is silence, which loudness must count too.
      const l = input[0] ?? this.silence;
      this.loudness.process([l, input[1] ?? l]);
    }
    this.count += frames;
    if (this.count >= this.reportFrames) {
      this.count = 0;
      const r = this.meter.takeReading();
      const m: FromWorkletMessage = { type: 'meter', peak: r.peak.map(toDb), rms: r.rms.map(toDb) };
      if (this.loudness) {
        m.momentary = this.loudness.momentary();
        m.shortTerm = this.loudness.shortTerm();
      }
      this.port.postMessage(m);
    }
    return true;
  }
}
