import { createMp3FormatWriter } from './createMp3FormatWriter.ts';
import { createPcmFormatWriter } from './createPcmFormatWriter.ts';
import type { FormatWriter, FormatWriterOptions } from './FormatWriter.ts';
import type { SharedQuantizers } from '../encode/SharedQuantizer.ts';

/** The writer of one output format; PCM writers given the same `quantizers` share their dither. */
export function createFormatWriter(options: FormatWriterOptions, quantizers?: SharedQuantizers): Promise<FormatWriter> {
  return options.format === 'mp3' ? createMp3FormatWriter(options) : createPcmFormatWriter({ ...options, format: options.format }, quantizers);
}
