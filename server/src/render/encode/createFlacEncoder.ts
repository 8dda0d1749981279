import { BakeError } from '../BakeError.ts';
import { loadLibFlac } from './loadLibFlac.ts';
import type { MasterEncoder, MasterEncoderOptions } from './MasterEncoder.ts';
import { ownQuantizer } from './TpdfQuantizer.ts';

/** STREAMINFO sits right after "fLaC" and its 4-byte block header. */
const STREAMINFO_AT = 8;
/**
 * Level 4: level 5's mid-side and order-8 LPC with residual partitions searched to order 3
 * instead of 5. On the 240 s bench master it gave the same size (57.46 MB) for 0.80
 * CPU-s instead of 1.04; level 3 (no mid-side) 0.70 CPU-s and 0.4 % larger there, more on
 * music whose channels correlate.
 */
const COMPRESSION_LEVEL = 4;

/**
 * Streams FLAC through libFLAC (24-bit, TPDF-dithered, level 4). libFLAC writes STREAMINFO
 * before it has seen the audio; the MD5 and frame sizes it reports at the end are patched
 * back into the header so players can verify the file.
 */
export async function createFlacEncoder(options: MasterEncoderOptions, bits: 16 | 24 = 24): Promise<MasterEncoder> {
  const Flac = await loadLibFlac();
  const { channels, sampleRate, totalFrames, maxBlockFrames } = options;
  const quantize = options.quantize ?? ownQuantizer(bits, options.ditherSeed);
  const ints = new Int32Array(maxBlockFrames * channels);
  let out: Uint8Array[] = [];
  let info: { min_framesize: number; max_framesize: number; md5sum: string } | null = null;

  const encoder = Flac.create_libflac_encoder(sampleRate, channels, bits, COMPRESSION_LEVEL, totalFrames, false, 0);
  if (encoder === 0) throw new BakeError('encoder', 'The FLAC encoder could not be created.');
  const status = Flac.init_encoder_stream(
    encoder,
    (data, n) => {
      out.push(data.slice(0, n));
    },
    (meta) => {
      if (meta) info = meta;
    },
  );
  if (status !== 0) {
    Flac.FLAC__stream_encoder_delete(encoder);
    throw new BakeError('encoder', `The FLAC encoder failed to start (status ${status}).`);
  }
  let disposed = false;

  const take = (): Uint8Array[] => {
    const chunks = out;
    out = [];
    return chunks;
  };

  return {
    encode(block, frames) {
      if (frames > maxBlockFrames) throw new BakeError('encoder', `A block of ${frames} frames is larger than the encoder's ${maxBlockFrames}.`);
      quantize(block, frames, ints);
      options.onQuantized?.(ints, frames);
      if (!Flac.FLAC__stream_encoder_process_interleaved(encoder, ints.subarray(0, frames * channels), frames)) {
        throw new BakeError('encoder', `FLAC encoding failed (state ${Flac.FLAC__stream_encoder_get_state(encoder)}).`);
      }
      return take();
    },
    finish() {
      if (!Flac.FLAC__stream_encoder_finish(encoder)) {
        throw new BakeError('encoder', `FLAC encoder could not finish (state ${Flac.FLAC__stream_encoder_get_state(encoder)}).`);
      }
      return take();
    },
    headerPatches() {
      if (info === null) return [];
      const bytes = new Uint8Array(6);
      bytes.set(uint24(info.min_framesize), 0);
      bytes.set(uint24(info.max_framesize), 3);
      const md5 = Uint8Array.from(Buffer.from(info.md5sum, 'hex'));
      return [
        { offset: STREAMINFO_AT + 4, bytes },
        ...(md5.length === 16 ? [{ offset: STREAMINFO_AT + 18, bytes: md5 }] : []),
      ];
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      Flac.FLAC__stream_encoder_delete(encoder);
    },
  };
}

function uint24(v: number): Uint8Array {
  return Uint8Array.of((v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
