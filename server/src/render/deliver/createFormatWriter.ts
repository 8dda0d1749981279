import { createMp3FormatWriter } from './createMp3FormatWriter.ts';
import { createPcmFormatWriter } from './createPcmFormatWriter.ts';
import type { FormatWriter, FormatWriterOptions } from './FormatWriter.ts';

/** The writer of one output format. */
export function createFormatWriter(options: FormatWriterOptions): Promise<FormatWriter> {
  return options.format === 'mp3' ? createMp3FormatWriter(options) : createPcmFormatWriter(options);
}
