import type { CodecFrame, FLACHeader } from 'codec-parser';
import type { DecodedAudio } from './DecodedAudio.ts';
import { DecodeBuffer } from './DecodeBuffer.ts';
import { maxFramesAt, type DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { flacEndsWithCompleteFrame } from './flacEndsWithCompleteFrame.ts';
import { ApiError } from '../http/ApiError.ts';

/** Frames handed to libFLAC at once: up to this many samples per channel (bounded by the frames' own headers). */
const BATCH_SAMPLES = 1 << 16;

/**
 * Decodes FLAC with libFLAC (WASM, `@wasm-audio-decoders/flac`), frame by frame. The frames
 * are split by codec-parser (as the library itself does) so that each frame's header, which
 * says how many samples it holds, is checked against the declared length and the budget
 * before libFLAC expands it: a tiny frame may claim 65535 samples per channel, and a 64 KB
 * file of them used to decode into 2.4 GB.
 *
 * STREAMINFO declares the total sample count (0 means unknown): fewer decoded samples means a
 * truncated upload or damage, more is refused; an unknown length may not pass the budget.
 */
export async function decodeFlac(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  // STREAMINFO is always the first metadata block, right after "fLaC".
  if (bytes.length < 42) throw new ApiError('truncated', 'The FLAC file is truncated inside its header.');
  const info = bytes.subarray(8, 42);
  const sampleRate = (info[10]! << 12) | (info[11]! << 4) | (info[12]! >> 4);
  const channels = ((info[12]! >> 1) & 0x07) + 1;
  const bits = (((info[12]! & 1) << 4) | (info[13]! >> 4)) + 1;
  const totalSamples = (info[13]! & 0x0f) * 2 ** 32 + ((info[14]! << 24) >>> 0) + (info[15]! << 16) + (info[16]! << 8) + info[17]!;
  if (sampleRate < 1) throw new ApiError('corrupt', 'The file declares no channels or no sample rate.');
  limits.accept?.({ sampleRate, channels });
  // 0 total samples means "unknown" in FLAC: then the budget alone bounds the decode.
  if (totalSamples > 0) checkDeclaredLength(totalSamples, sampleRate, channels, limits);
  const out = new DecodeBuffer(channels, {
    declaredFrames: totalSamples > 0 ? totalSamples : null,
    maxFrames: maxFramesAt(limits, sampleRate),
    maxSeconds: limits.maxSeconds,
    label: 'FLAC',
  });
  // The WASM wrapper scales integers by 1/(2^(bits-1) - 1); the convention everywhere else
  // (WAV/AIFF here, Web Audio, the bake) is 1/2^(bits-1). Undo it so FLAC decodes
  // bit-exactly like the same samples stored as WAV (measured: -90.3 dB residual otherwise).
  const fix = (2 ** (bits - 1) - 1) / 2 ** (bits - 1);

  const [{ FLACDecoder }, { default: CodecParser }] = await Promise.all([import('@wasm-audio-decoders/flac'), import('codec-parser')]);
  const decoder = new FLACDecoder();
  try {
    await decoder.ready;
    const parser = new CodecParser<CodecFrame>('audio/flac', { enableFrameCRC32: false });
    let batch: Uint8Array[] = [];
    let batchSamples = 0;
    const decodeBatch = async (): Promise<void> => {
      if (batch.length === 0) return;
      const r = await decoder.decodeFrames(batch);
      batch = [];
      batchSamples = 0;
      // libFLAC reports frame errors through a callback this wrapper does not always surface;
      // the sample-count check below catches what it drops.
      if (r.errors.length > 0) {
        throw new ApiError('corrupt', `The FLAC file is damaged: ${r.errors[0]!.message} (${r.errors.length} error(s)).`);
      }
      out.push(r.channelData, r.samplesDecoded, fix);
    };
    for (const frame of framesOf(parser, bytes)) {
      const header = frame.header as FLACHeader;
      if (header.channels !== channels || header.sampleRate !== sampleRate) {
        throw new ApiError('corrupt', `The FLAC file is damaged: a frame has ${header.channels} channels at ${header.sampleRate} Hz, its header ${channels} at ${sampleRate} Hz.`);
      }
      // Before libFLAC expands it: throws past the declared length or the budget.
      out.reserve(batchSamples + header.blockSize);
      batch.push(frame.data);
      batchSamples += header.blockSize;
      if (batchSamples >= BATCH_SAMPLES) await decodeBatch();
    }
    await decodeBatch();
    const decoded = out.frames;
    if (totalSamples > 0 && decoded < totalSamples) {
      const missing = totalSamples - decoded;
      if (flacEndsWithCompleteFrame(bytes)) {
        throw new ApiError('corrupt', `The FLAC file is damaged: ${missing} of ${totalSamples} samples could not be decoded.`);
      }
      throw new ApiError('truncated', `The FLAC file is truncated: ${missing} of ${totalSamples} samples are missing.`);
    }
    checkDeclaredLength(decoded, sampleRate, channels, limits);
    return {
      format: 'flac',
      encoding: `FLAC ${bits}-bit`,
      bitDepth: bits,
      float: false,
      sampleRate,
      channelData: out.channelData(),
      frames: decoded,
    };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('corrupt', `The FLAC file could not be decoded: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.free();
  }
}

/** The file's frames one at a time (codec-parser's generators; `parseAll` would list them all first). */
function* framesOf<T>(parser: { parseChunk(chunk: Uint8Array): Iterator<T>; flush(): Iterator<T> }, bytes: Uint8Array): Generator<T> {
  yield* { [Symbol.iterator]: () => parser.parseChunk(bytes) };
  yield* { [Symbol.iterator]: () => parser.flush() };
}
