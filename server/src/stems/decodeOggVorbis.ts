import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { decodeOggWith } from './decodeOggWith.ts';

/** Decodes Ogg Vorbis with libvorbis (WASM, `@wasm-audio-decoders/ogg-vorbis`). */
export function decodeOggVorbis(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  return decodeOggWith(bytes, limits, { label: 'OGG Vorbis', format: 'ogg-vorbis', encoding: 'Vorbis', create: () => new OggVorbisDecoder() });
}
