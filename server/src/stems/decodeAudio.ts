import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { decodeAiff } from './decodeAiff.ts';
import { decodeFlac } from './decodeFlac.ts';
import { decodeMp3 } from './decodeMp3.ts';
import { decodeOggOpus } from './decodeOggOpus.ts';
import { decodeOggVorbis } from './decodeOggVorbis.ts';
import { decodeWav } from './decodeWav.ts';
import { sniffAudioFormat } from './sniffAudioFormat.ts';
import { ApiError } from '../http/ApiError.ts';

/**
 * Decodes a whole stem file, format chosen from its bytes. Throws ApiError with a
 * user-facing message for anything that is not complete, valid, supported audio.
 */
export async function decodeAudio(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  const format = sniffAudioFormat(bytes);
  const decoded = await (async () => {
    switch (format) {
      case 'wav':
        return decodeWav(bytes, limits);
      case 'aiff':
        return decodeAiff(bytes, limits);
      case 'flac':
        return decodeFlac(bytes, limits);
      case 'mp3':
        return decodeMp3(bytes, limits);
      case 'ogg-vorbis':
        return decodeOggVorbis(bytes, limits);
      case 'ogg-opus':
        return decodeOggOpus(bytes, limits);
    }
  })();
  for (const ch of decoded.channelData) {
    for (let i = 0; i < ch.length; i++) {
      if (!Number.isFinite(ch[i]!)) throw new ApiError('corrupt', 'The file contains invalid samples (NaN or infinity).');
    }
  }
  return decoded;
}
