import { OggOpusDecoder } from 'ogg-opus-decoder';
import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { decodeOggWith } from './decodeOggWith.ts';

/**
 * Decodes Ogg Opus with libopus (WASM, `ogg-opus-decoder`). Opus always decodes at
 * 48 kHz whatever rate the encoder was fed; the decoder removes the pre-skip.
 */
export function decodeOggOpus(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  return decodeOggWith(bytes, limits, { label: 'OGG Opus', format: 'ogg-opus', encoding: 'Opus', create: () => new OggOpusDecoder() });
}
