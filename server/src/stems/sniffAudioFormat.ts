import type { StemFormat } from './DecodedAudio.ts';
import { ApiError } from '../http/ApiError.ts';

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

/**
 * Decides the format from the bytes (never from the file name or the browser's MIME type).
 * Throws 'empty', 'unsupported-format' (audio we recognise but do not take) or 'not-audio'.
 */
export function sniffAudioFormat(bytes: Uint8Array): StemFormat {
  if (bytes.length === 0) throw new ApiError('empty', 'The file is empty (0 bytes).');
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav';
  if (bytes.length >= 12 && (ascii(bytes, 0, 4) === 'RF64' || ascii(bytes, 0, 4) === 'BW64')) {
    throw new ApiError('unsupported-format', 'RF64/BW64 WAV files (over 4 GB) are not supported. Export a standard WAV, AIFF or FLAC.');
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'FORM' && (ascii(bytes, 8, 4) === 'AIFF' || ascii(bytes, 8, 4) === 'AIFC')) return 'aiff';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'OggS') {
    // The first page carries the codec's identification header.
    const segments = bytes[26] ?? 0;
    const body = 27 + segments;
    if (ascii(bytes, body, 8) === 'OpusHead') return 'ogg-opus';
    if (bytes[body] === 1 && ascii(bytes, body + 1, 6) === 'vorbis') return 'ogg-vorbis';
    if (ascii(bytes, body + 1, 4) === 'FLAC') {
      throw new ApiError('unsupported-format', 'FLAC inside an Ogg container is not supported. Export native .flac instead.');
    }
    throw new ApiError('unsupported-format', 'This Ogg file holds a codec other than Vorbis or Opus, which is not supported.');
  }
  if (bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp') {
    throw new ApiError('unsupported-format', 'MP4/M4A/AAC/ALAC files are not supported. Export WAV, AIFF or FLAC.');
  }
  let at = 0;
  if (bytes.length >= 10 && ascii(bytes, 0, 3) === 'ID3') {
    // ID3v2 size is a 28-bit syncsafe integer.
    const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    at = 10 + size + ((bytes[5]! & 0x10) !== 0 ? 10 : 0);
    if (at >= bytes.length) throw new ApiError('truncated', 'The MP3 file ends inside its ID3 tag: it is truncated.');
  }
  if (bytes.length >= at + 2 && bytes[at] === 0xff && (bytes[at + 1]! & 0xe0) === 0xe0) {
    const layer = (bytes[at + 1]! >> 1) & 0x03;
    if (layer === 0) throw new ApiError('unsupported-format', 'AAC (ADTS) files are not supported. Export WAV, AIFF or FLAC.');
    return 'mp3';
  }
  if (at > 0) throw new ApiError('corrupt', 'The file has an ID3 tag but no MPEG audio after it.');
  throw new ApiError(
    'not-audio',
    'This file is not audio we recognise. Supported: WAV (16/24-bit PCM, 32-bit float), AIFF, FLAC, MP3, OGG Vorbis/Opus.',
  );
}
