import { OggOpusDecoder } from 'ogg-opus-decoder';
import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { checkOggPages } from './checkOggPages.ts';
import { StemError } from './StemError.ts';

/**
 * Decodes Ogg Opus with libopus (WASM, `ogg-opus-decoder`). Opus always decodes at
 * 48 kHz whatever rate the encoder was fed; the decoder removes the pre-skip.
 */
export async function decodeOggOpus(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  checkOggPages(bytes, 'OGG Opus');
  const decoder = new OggOpusDecoder();
  try {
    await decoder.ready;
    const r = await decoder.decodeFile(bytes);
    if (r.errors.length > 0) throw new StemError('corrupt', `The OGG Opus file is damaged: ${r.errors[0]!.message}.`);
    checkDeclaredLength(r.samplesDecoded, r.sampleRate, r.channelData.length, limits);
    return {
      format: 'ogg-opus',
      encoding: 'Opus',
      bitDepth: null,
      float: false,
      sampleRate: r.sampleRate,
      channelData: r.channelData,
      frames: r.samplesDecoded,
    };
  } catch (error) {
    if (error instanceof StemError) throw error;
    throw new StemError('corrupt', `The OGG Opus file could not be decoded: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.free();
  }
}
