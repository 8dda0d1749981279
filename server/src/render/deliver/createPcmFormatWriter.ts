import { BakeFileSink } from './BakeFileSink.ts';
import { BAKE_FORMAT_INFO } from '../BakeFormat.ts';
import { createMasterEncoder, type PcmBakeFormat } from '../encode/createMasterEncoder.ts';
import type { FormatWriter, FormatWriterOptions } from './FormatWriter.ts';
import { PcmMeter } from './PcmMeter.ts';
import type { SharedQuantizers } from '../encode/SharedQuantizer.ts';

/**
 * WAV 16/24 or FLAC: the encoder's dithered integers go to the file and, when asked, to a
 * {@link PcmMeter}. With `quantizers`, writers of one bit depth share one quantiser.
 */
export async function createPcmFormatWriter(options: FormatWriterOptions & { format: PcmBakeFormat }, quantizers?: SharedQuantizers): Promise<FormatWriter> {
  const { format, sampleRate, channels, maxBlockFrames } = options;
  const meter = options.measure ? new PcmMeter(sampleRate, channels, BAKE_FORMAT_INFO[format].bits, maxBlockFrames) : null;
  const encoder = await createMasterEncoder(format, {
    sampleRate,
    channels,
    totalFrames: options.totalFrames,
    maxBlockFrames,
    ...(quantizers ? { quantize: quantizers.reader(BAKE_FORMAT_INFO[format].bits, channels, maxBlockFrames) } : {}),
    ...(meter ? { onQuantized: (ints: Int32Array, frames: number) => meter.push(ints, frames) } : {}),
  });
  let sink: BakeFileSink;
  try {
    sink = await BakeFileSink.create(BAKE_FORMAT_INFO[format].extension, options.tmpDir);
  } catch (err) {
    encoder.dispose();
    throw err;
  }
  return {
    format,
    write: (block, frames) => sink.write(encoder.encode(block, frames)),
    async finish() {
      await sink.write(encoder.finish());
      const file = await sink.seal(encoder.headerPatches());
      // The thread may be kept for another bake: the encoder's memory (libFLAC's) goes now.
      encoder.dispose();
      return { file, measurement: meter?.result() ?? null };
    },
    async discard() {
      encoder.dispose();
      await sink.discard();
    },
  };
}
