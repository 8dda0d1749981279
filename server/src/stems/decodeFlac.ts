import { FLACDecoder } from '@wasm-audio-decoders/flac';
import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { flacEndsWithCompleteFrame } from './flacEndsWithCompleteFrame.ts';
import { StemError } from './StemError.ts';

/**
 * Decodes FLAC with libFLAC (WASM, `@wasm-audio-decoders/flac`). STREAMINFO declares the
 * total sample count: fewer decoded samples means a truncated upload; decoder errors
 * (CRC, sync loss) mean corruption.
 */
export async function decodeFlac(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  // STREAMINFO is always the first metadata block, right after "fLaC".
  if (bytes.length < 42) throw new StemError('truncated', 'The FLAC file is truncated inside its header.');
  const info = bytes.subarray(8, 42);
  const sampleRate = (info[10]! << 12) | (info[11]! << 4) | (info[12]! >> 4);
  const channels = ((info[12]! >> 1) & 0x07) + 1;
  const bits = (((info[12]! & 1) << 4) | (info[13]! >> 4)) + 1;
  const totalSamples = (info[13]! & 0x0f) * 2 ** 32 + ((info[14]! << 24) >>> 0) + (info[15]! << 16) + (info[16]! << 8) + info[17]!;
  // 0 total samples means "unknown" in FLAC; only check what is declared.
  if (totalSamples > 0) checkDeclaredLength(totalSamples, sampleRate, channels, limits);

  const decoder = new FLACDecoder();
  try {
    await decoder.ready;
    const r = await decoder.decodeFile(bytes);
    // libFLAC reports frame errors through a callback this wrapper does not always surface;
    // the sample-count check below catches what it drops.
    if (r.errors.length > 0) {
      throw new StemError('corrupt', `The FLAC file is damaged: ${r.errors[0]!.message} (${r.errors.length} error(s)).`);
    }
    if (totalSamples > 0 && r.samplesDecoded < totalSamples) {
      const missing = totalSamples - r.samplesDecoded;
      if (flacEndsWithCompleteFrame(bytes)) {
        throw new StemError('corrupt', `The FLAC file is damaged: ${missing} of ${totalSamples} samples could not be decoded.`);
      }
      throw new StemError(
        'truncated',
        `The FLAC file is truncated: ${totalSamples - r.samplesDecoded} of ${totalSamples} samples are missing.`,
      );
    }
    checkDeclaredLength(r.samplesDecoded, r.sampleRate, r.channelData.length, limits);
    // The WASM wrapper scales integers by 1/(2^(bits-1) - 1); the convention everywhere else
    // (WAV/AIFF here, Web Audio, the bake) is 1/2^(bits-1). Undo it so FLAC decodes
    // bit-exactly like the same samples stored as WAV (measured: -90.3 dB residual otherwise).
    const fix = (2 ** (bits - 1) - 1) / 2 ** (bits - 1);
    for (const ch of r.channelData) for (let i = 0; i < ch.length; i++) ch[i] = ch[i]! * fix;
    return {
      format: 'flac',
      encoding: `FLAC ${bits}-bit`,
      bitDepth: bits,
      float: false,
      sampleRate: r.sampleRate,
      channelData: r.channelData,
      frames: r.samplesDecoded,
    };
  } catch (error) {
    if (error instanceof StemError) throw error;
    throw new StemError('corrupt', `The FLAC file could not be decoded: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.free();
  }
}
