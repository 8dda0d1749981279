import { LoudnessMeter, type LoudnessSummary } from '@mixroom/shared/dsp/loudness';
import type { BakeFormat } from '../BakeFormat.ts';
import { WasmTruePeakMeter } from '../simd/WasmTruePeakMeter.ts';
import { createFormatWriter } from './createFormatWriter.ts';
import { SharedQuantizers } from '../encode/SharedQuantizer.ts';
import type { FormatWriter, FormatWriterOptions, FormatWriterResult } from './FormatWriter.ts';

/** What the encoders report while they work (for the room's phases). */
export interface FormatEncoderEvents {
  /** The MP3 is encoded again at a lower gain (pass 2, 3, ...). */
  onPass?: (format: BakeFormat, pass: number, gainDb: number) => void;
}

/** Each format's result as it finishes (in start order) and the float master's loudness. */
export interface FinishedFormats {
  results: Promise<FormatWriterResult>[];
  master: Promise<LoudnessSummary | null>;
}

/**
 * Where the bake's master blocks go: one writer per format plus the master's own loudness
 * meter. `write` may be called again once its promise resolves (the block is copied or
 * encoded by then); `close` releases everything, after success or failure.
 */
export interface FormatEncoders {
  write(block: readonly Float32Array[], frames: number): Promise<void>;
  finish(): FinishedFormats;
  close(): Promise<void>;
}

/**
 * Every format encoded on the calling thread, one block after the other: the reference the
 * encoder threads ({@link FormatThreads}) must match byte for byte, and the choice where
 * threads cannot start.
 */
export async function createInlineEncoders(writerOptions: readonly FormatWriterOptions[], signal: AbortSignal, events: FormatEncoderEvents = {}): Promise<FormatEncoders> {
  const writers: FormatWriter[] = [];
  try {
    const quantizers = new SharedQuantizers();
    for (const options of writerOptions) writers.push(await createFormatWriter({ ...options, onPass: (pass, gainDb) => events.onPass?.(options.format, pass, gainDb) }, quantizers));
  } catch (err) {
    await Promise.all(writers.map((w) => w.discard()));
    throw err;
  }
  const first = writerOptions[0]!;
  const meter = new LoudnessMeter(first.sampleRate, first.channels, { truePeakMeter: () => new WasmTruePeakMeter() });
  return {
    async write(block, frames) {
      const views = block.map((c) => (c.length === frames ? c : c.subarray(0, frames)));
      meter.process(views);
      await Promise.all(writers.map((w) => w.write(views, frames)));
    },
    finish() {
      const results = writers.map((w) => w.finish(signal));
      const master = Promise.all(results).then(() => meter.summary());
      master.catch(() => {});
      return { results, master };
    },
    async close() {
      await Promise.all(writers.map((w) => w.discard()));
    },
  };
}
