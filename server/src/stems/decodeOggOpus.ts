import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { decodeOggWith, type OggStreamHead } from './decodeOggWith.ts';
import { ApiError } from '../http/ApiError.ts';

/**
 * Decodes Ogg Opus with libopus (WASM, `ogg-opus-decoder`). Opus always decodes at
 * 48 kHz whatever rate the encoder was fed; the decoder removes the pre-skip.
 */
export function decodeOggOpus(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  return decodeOggWith(bytes, limits, {
    label: 'OGG Opus',
    format: 'ogg-opus',
    encoding: 'Opus',
    readHead: readOpusHead,
    create: async () => new (await import('ogg-opus-decoder')).OggOpusDecoder(),
  });
}

/** OpusHead (RFC 7845 §5.1): "OpusHead", version, channels, pre-skip (u16 LE), input rate... */
function readOpusHead(packet: Uint8Array): OggStreamHead {
  if (packet.length < 19) throw new ApiError('corrupt', 'The OGG Opus file has a damaged header.');
  return { sampleRate: 48000, channels: packet[9]!, preSkip: packet[10]! | (packet[11]! << 8) };
}
