import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { decodeOggWith, type OggStreamHead } from './decodeOggWith.ts';
import { ApiError } from '../http/ApiError.ts';

/** Decodes Ogg Vorbis with libvorbis (WASM, `@wasm-audio-decoders/ogg-vorbis`). */
export function decodeOggVorbis(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  return decodeOggWith(bytes, limits, {
    label: 'OGG Vorbis',
    format: 'ogg-vorbis',
    encoding: 'Vorbis',
    readHead: readVorbisHead,
    create: async () => new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder(),
  });
}

/** The Vorbis identification header: type 1, "vorbis", version (u32), channels (u8), rate (u32 LE). */
function readVorbisHead(packet: Uint8Array): OggStreamHead {
  if (packet.length < 30) throw new ApiError('corrupt', 'The OGG Vorbis file has a damaged header.');
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  return { sampleRate: view.getUint32(12, true), channels: packet[11]!, preSkip: 0 };
}
