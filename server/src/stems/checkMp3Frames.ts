import { ApiError } from '../http/ApiError.ts';

// kbit/s by [MPEG-1?][layer 1..3][index]; index 0 is free format, 15 invalid.
const BITRATES: Record<string, number[]> = {
  'v1l1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  'v1l2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  'v1l3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  'v2l1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  'v2l2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  'v2l3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES = [
  [11025, 12000, 8000], // MPEG 2.5
  [0, 0, 0],
  [22050, 24000, 16000], // MPEG 2
  [44100, 48000, 32000], // MPEG 1
];

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

/** What the frame walk found. */
export interface Mp3Frames {
  /** Frames walked (including a Xing/Info frame); null for a free-format stream (not walked). */
  readonly frames: number | null;
  /** Samples per channel in each frame (1152 or 576 for Layer III). */
  readonly samplesPerFrame: number;
  readonly sampleRate: number;
  readonly channels: number;
  /** Audio frames the Xing/Info header declares, when the first frame carries one. */
  readonly declaredFrames: number | null;
}

/**
 * Walks the MPEG audio frames from `start` to the end. mpg123 quietly drops a final
 * partial frame, so a cut-off upload would otherwise be accepted as a shorter song; here
 * a frame that runs past the end of the file means 'truncated'. Trailing ID3v1/APE/Lyrics
 * tags are allowed. Free-format streams (no frame lengths in headers) are not walked.
 * Returns the stream's shape and frame count, known before anything is decoded.
 */
export function checkMp3Frames(bytes: Uint8Array, start: number): Mp3Frames {
  let at = start;
  let frames = 0;
  let first: Omit<Mp3Frames, 'frames'> | null = null;
  while (at + 4 <= bytes.length) {
    const b1 = bytes[at + 1]!;
    const b2 = bytes[at + 2]!;
    if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) {
      const rest = ascii(bytes, at, 8);
      if (rest.startsWith('TAG') || rest.startsWith('APETAGEX') || rest.startsWith('LYRICS')) break;
      throw new ApiError('corrupt', `The MP3 file is damaged: lost frame sync after ${frames} frames (byte ${at}).`);
    }
    const version = (b1 >> 3) & 0x03;
    const layer = 4 - ((b1 >> 1) & 0x03);
    const bitrateIndex = b2 >> 4;
    const rateIndex = (b2 >> 2) & 0x03;
    const padding = (b2 >> 1) & 0x01;
    if (version === 1 || layer === 4 || bitrateIndex === 15 || rateIndex === 3) {
      throw new ApiError('corrupt', `The MP3 file is damaged: invalid frame header at byte ${at}.`);
    }
    if (first === null) first = { ...shapeOf(bytes, at, version, layer), declaredFrames: xingFrames(bytes, at, version) };
    if (bitrateIndex === 0) return { ...first, frames: null };
    const kbps = BITRATES[`${version === 3 ? 'v1' : 'v2'}l${layer}`]![bitrateIndex]!;
    const rate = RATES[version]![rateIndex]!;
    const length =
      layer === 1
        ? (Math.floor((12 * kbps * 1000) / rate) + padding) * 4
        : Math.floor(((layer === 3 && version !== 3 ? 72 : 144) * kbps * 1000) / rate) + padding;
    if (at + length > bytes.length) {
      throw new ApiError('truncated', `The MP3 file is truncated: its last frame is cut off (${at + length - bytes.length} bytes missing).`);
    }
    at += length;
    frames++;
  }
  if (at < bytes.length && first !== null && at + 4 > bytes.length) {
    throw new ApiError('truncated', 'The MP3 file is truncated: it ends inside a frame header.');
  }
  if (first === null) throw new ApiError('corrupt', 'The MP3 file holds no audio frames.');
  return { ...first, frames };
}

function shapeOf(bytes: Uint8Array, at: number, version: number, layer: number): Omit<Mp3Frames, 'frames' | 'declaredFrames'> {
  const rate = RATES[version]![(bytes[at + 2]! >> 2) & 0x03]!;
  const mono = bytes[at + 3]! >> 6 === 3;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 3 ? 576 : 1152;
  return { samplesPerFrame, sampleRate: rate, channels: mono ? 1 : 2 };
}

/** The frame count of a Xing/Info header in the frame at `at` (LAME and ffmpeg write one), or null. */
function xingFrames(bytes: Uint8Array, at: number, version: number): number | null {
  const mono = bytes[at + 3]! >> 6 === 3;
  const crc = (bytes[at + 1]! & 0x01) === 0 ? 2 : 0;
  const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const tag = at + 4 + crc + sideInfo;
  if (tag + 12 > bytes.length) return null;
  const id = ascii(bytes, tag, 4);
  if (id !== 'Xing' && id !== 'Info') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (view.getUint32(tag + 4) & 0x01) !== 0 ? view.getUint32(tag + 8) : null;
}
