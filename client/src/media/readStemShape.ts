import type { StemShape } from '@mixroom/shared/protocol';
import { parseWavHeader } from '@mixroom/shared/wav';

/** Bytes read from the start of a file: enough for every header we read, with room for metadata chunks before them. */
export const STEM_HEAD_BYTES = 256 * 1024;

const ascii = (b: Uint8Array, at: number, len: number) => (at + len <= b.length ? String.fromCharCode(...b.subarray(at, at + len)) : '');

/**
 * The sample rate and channel count a stem's header declares (WAV, AIFF, FLAC, MP3, Ogg
 * Vorbis and Opus), read from its first bytes; null when the header is not in `head` or the
 * format is not one we read here (the server then decides, as it does for everything).
 * Never throws: a damaged header is the server's to refuse with its own message.
 */
export function readStemShape(head: Uint8Array): StemShape | null {
  try {
    if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE') return wav(head);
    if (ascii(head, 0, 4) === 'FORM' && (ascii(head, 8, 4) === 'AIFF' || ascii(head, 8, 4) === 'AIFC')) return aiff(head);
    if (ascii(head, 0, 4) === 'fLaC') return flac(head);
    if (ascii(head, 0, 4) === 'OggS') return ogg(head);
    return mp3(head);
  } catch {
    return null;
  }
}

/** Reads the head of a file and its shape. */
export async function readFileStemShape(file: Blob): Promise<StemShape | null> {
  return readStemShape(new Uint8Array(await file.slice(0, STEM_HEAD_BYTES).arrayBuffer()));
}

function valid(shape: StemShape): StemShape | null {
  return Number.isFinite(shape.sampleRate) && shape.sampleRate >= 1 && shape.channels >= 1 ? shape : null;
}

/** The shared WAV header reader's channels and rate, once the header is all in `head`. */
function wav(b: Uint8Array): StemShape | null {
  const header = parseWavHeader(b);
  return 'pending' in header ? null : valid({ channels: header.channels, sampleRate: header.sampleRate });
}

function aiff(b: Uint8Array): StemShape | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 12; at + 8 <= b.length; ) {
    const id = ascii(b, at, 4);
    const size = v.getUint32(at + 4, false);
    if (id === 'COMM') {
      if (at + 26 > b.length) return null;
      return valid({ channels: v.getUint16(at + 8, false), sampleRate: Math.round(extended(v, at + 16)) });
    }
    at += 8 + size + (size & 1);
  }
  return null;
}

/** IEEE 754 80-bit extended, big-endian (AIFF's sample rate). */
function extended(v: DataView, at: number): number {
  const exponent = v.getUint16(at, false) & 0x7fff;
  const hi = v.getUint32(at + 2, false);
  const lo = v.getUint32(at + 6, false);
  if (exponent === 0 && hi === 0 && lo === 0) return 0;
  const sign = v.getUint16(at, false) & 0x8000 ? -1 : 1;
  return sign * (hi * 2 ** (exponent - 16383 - 31) + lo * 2 ** (exponent - 16383 - 63));
}

function flac(b: Uint8Array): StemShape | null {
  // The first metadata block must be STREAMINFO (type 0): rate in 20 bits, channels - 1 in 3.
  if ((b[4]! & 0x7f) !== 0 || b.length < 8 + 18) return null;
  const info = b.subarray(8);
  return valid({ sampleRate: (info[10]! << 12) | (info[11]! << 4) | (info[12]! >> 4), channels: ((info[12]! >> 1) & 0x07) + 1 });
}

function ogg(b: Uint8Array): StemShape | null {
  const body = 27 + (b[26] ?? 0);
  if (ascii(b, body, 8) === 'OpusHead') return valid({ sampleRate: 48_000, channels: b[body + 9]! });
  if (b[body] === 1 && ascii(b, body + 1, 6) === 'vorbis') {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return valid({ channels: b[body + 11]!, sampleRate: v.getUint32(body + 12, true) });
  }
  return null;
}

const MPEG_RATES: Record<number, readonly number[]> = { 3: [44_100, 48_000, 32_000], 2: [22_050, 24_000, 16_000], 0: [11_025, 12_000, 8_000] };

function mp3(b: Uint8Array): StemShape | null {
  let at = 0;
  if (ascii(b, 0, 3) === 'ID3') {
    const size = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
    at = 10 + size + ((b[5]! & 0x10) !== 0 ? 10 : 0);
  }
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1]! >> 3) & 0x03;
  const layer = (b[at + 1]! >> 1) & 0x03;
  const rateIndex = (b[at + 2]! >> 2) & 0x03;
  const rates = MPEG_RATES[version];
  if (!rates || layer === 0 || rateIndex === 3) return null;
  return valid({ sampleRate: rates[rateIndex]!, channels: ((b[at + 3]! >> 6) & 0x03) === 3 ? 1 : 2 });
}
