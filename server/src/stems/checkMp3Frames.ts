import { StemError } from './StemError.ts';

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

/**
 * Walks the MPEG audio frames from `start` to the end. mpg123 quietly drops a final
 * partial frame, so a cut-off upload would otherwise be accepted as a shorter song; here
 * a frame that runs past the end of the file means 'truncated'. Trailing ID3v1/APE/Lyrics
 * tags are allowed. Free-format streams (no frame lengths in headers) are not walked.
 */
export function checkMp3Frames(bytes: Uint8Array, start: number): void {
  let at = start;
  let frames = 0;
  while (at + 4 <= bytes.length) {
    const b1 = bytes[at + 1]!;
    const b2 = bytes[at + 2]!;
    if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) {
      const rest = ascii(bytes, at, 8);
      if (rest.startsWith('TAG') || rest.startsWith('APETAGEX') || rest.startsWith('LYRICS')) return;
      throw new StemError('corrupt', `The MP3 file is damaged: lost frame sync after ${frames} frames (byte ${at}).`);
    }
    const version = (b1 >> 3) & 0x03;
    const layer = 4 - ((b1 >> 1) & 0x03);
    const bitrateIndex = b2 >> 4;
    const rateIndex = (b2 >> 2) & 0x03;
    const padding = (b2 >> 1) & 0x01;
    if (version === 1 || layer === 4 || bitrateIndex === 15 || rateIndex === 3) {
      throw new StemError('corrupt', `The MP3 file is damaged: invalid frame header at byte ${at}.`);
    }
    if (bitrateIndex === 0) return;
    const kbps = BITRATES[`${version === 3 ? 'v1' : 'v2'}l${layer}`]![bitrateIndex]!;
    const rate = RATES[version]![rateIndex]!;
    const length =
      layer === 1
        ? (Math.floor((12 * kbps * 1000) / rate) + padding) * 4
        : Math.floor(((layer === 3 && version !== 3 ? 72 : 144) * kbps * 1000) / rate) + padding;
    if (at + length > bytes.length) {
      throw new StemError('truncated', `The MP3 file is truncated: its last frame is cut off (${at + length - bytes.length} bytes missing).`);
    }
    at += length;
    frames++;
  }
  if (at < bytes.length) throw new StemError('truncated', 'The MP3 file is truncated: it ends inside a frame header.');
}
