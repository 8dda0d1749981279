import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { checkOggPages } from './checkOggPages.ts';
import { StemError } from './StemError.ts';

/** Decodes Ogg Vorbis with libvorbis (WASM, `@wasm-audio-decoders/ogg-vorbis`). */
export async function decodeOggVorbis(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  checkOggPages(bytes, 'OGG Vorbis');
  const decoder = new OggVorbisDecoder();
  try {
    await decoder.ready;
    const r = await decoder.decodeFile(bytes);
    if (r.errors.length > 0) throw new StemError('corrupt', `The OGG Vorbis file is damaged: ${r.errors[0]!.message}.`);
    checkDeclaredLength(r.samplesDecoded, r.sampleRate, r.channelData.length, limits);
    return {
      format: 'ogg-vorbis',
      encoding: 'Vorbis',
      bitDepth: null,
      float: false,
      sampleRate: r.sampleRate,
      channelData: r.channelData,
      frames: r.samplesDecoded,
    };
  } catch (error) {
    if (error instanceof StemError) throw error;
    throw new StemError('corrupt', `The OGG Vorbis file could not be decoded: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.free();
  }
}
