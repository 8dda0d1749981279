import { BakeFileSink } from './BakeFileSink.ts';
import { BAKE_FORMAT_INFO } from '../BakeFormat.ts';
import { createMasterEncoder, type PcmBakeFormat } from '../encode/createMasterEncoder.ts';
import { createNativeFlacEncoder } from '../encode/createNativeFlacEncoder.ts';
import type { MasterEncoderOptions } from '../encode/MasterEncoder.ts';
import type { FormatWriter, FormatWriterOptions } from './FormatWriter.ts';
import { PcmMeter } from './PcmMeter.ts';
import type { SharedQuantizers } from '../encode/SharedQuantizer.ts';

/**
 * The child's bytes go to the file in batches of this size (it writes 64 KiB at a time, and
 * each file write is a trip through libuv's pool).
 */
const FILE_BATCH_BYTES = 256 * 1024;

/**
 * WAV 16/24 or FLAC: the encoder's dithered integers go to the file and, when asked, to a
 * {@link PcmMeter}. With `quantizers`, writers of one bit depth share one quantiser. FLAC is
 * encoded by libFLAC in wasm on this thread, or by the native `flac` in a child process
 * (`options.flacEncoder`), from the same integers.
 */
export async function createPcmFormatWriter(options: FormatWriterOptions & { format: PcmBakeFormat }, quantizers?: SharedQuantizers): Promise<FormatWriter> {
  const { format, sampleRate, channels, maxBlockFrames } = options;
  const meter = options.measure ? new PcmMeter(sampleRate, channels, BAKE_FORMAT_INFO[format].bits, maxBlockFrames) : null;
  const encoderOptions: MasterEncoderOptions = {
    sampleRate,
    channels,
    totalFrames: options.totalFrames,
    maxBlockFrames,
    ...(quantizers ? { quantize: quantizers.reader(BAKE_FORMAT_INFO[format].bits, channels, maxBlockFrames) } : {}),
    ...(meter ? { onQuantized: (ints: Int32Array, frames: number) => meter.push(ints, frames) } : {}),
  };
  const sink = await BakeFileSink.create(BAKE_FORMAT_INFO[format].extension, options.tmpDir);
  if (format === 'flac' && options.flacEncoder?.kind === 'native') return nativeFlacWriter(options, encoderOptions, sink, meter, options.flacEncoder.command);
  let encoder;
  try {
    encoder = await createMasterEncoder(format, encoderOptions);
  } catch (err) {
    await sink.discard();
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

/** FLAC by the native `flac`: its output goes to the file in order, in batches. */
async function nativeFlacWriter(options: FormatWriterOptions, encoderOptions: MasterEncoderOptions, sink: BakeFileSink, meter: PcmMeter | null, command: string): Promise<FormatWriter> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let written = Promise.resolve();
  /** Hands the queued bytes to the file as one write, after the writes before it. */
  const flush = (): void => {
    if (pending.length === 0) return;
    const batch = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    written = written.then(() => sink.write([batch]));
    written.catch(() => {}); // awaited by write() and finish()
  };
  let encoder;
  try {
    encoder = await createNativeFlacEncoder(
      {
        ...encoderOptions,
        onBytes: (chunk) => {
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes >= FILE_BATCH_BYTES) flush();
        },
        onChild: options.onChild,
      },
      command,
    );
  } catch (err) {
    await sink.discard();
    throw err;
  }
  return {
    format: 'flac',
    write: (block, frames) => Promise.all([encoder.encode(block, frames), written]).then(() => undefined),
    async finish() {
      await encoder.finish();
      flush();
      await written;
      const file = await sink.seal(encoder.headerPatches());
      encoder.dispose();
      return { file, measurement: meter?.result() ?? null };
    },
    async discard() {
      encoder.dispose();
      await sink.discard();
    },
  };
}
