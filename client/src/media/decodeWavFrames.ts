import type { WavFormat } from './parseWavHeader.ts';

/**
 * Decodes whole sample frames of WAV data (`bytes` starts on a frame boundary) into
 * per-channel Float32Arrays, writing from index `at`. Returns the number of frames written
 * (trailing bytes of a partial frame are ignored). Integer PCM is scaled by 2^-(bits-1),
 * the usual convention (and what the server's decoder does), so a round trip is exact.
 */
export function decodeWavFrames(bytes: Uint8Array, format: WavFormat, targets: Float32Array[], at = 0): number {
  const bps = format.bitsPerSample / 8;
  const block = bps * format.channels;
  const frames = Math.min(Math.floor(bytes.length / block), ...targets.map((t) => t.length - at));
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < format.channels; c++, p += bps) {
      let s: number;
      if (format.float) s = bps === 4 ? v.getFloat32(p, true) : v.getFloat64(p, true);
      else if (bps === 2) s = v.getInt16(p, true) / 32768;
      else if (bps === 3) s = (((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16)) << 8) >> 8) / 8388608;
      else s = v.getInt32(p, true) / 2147483648;
      targets[c]![at + i] = s;
    }
  }
  return Math.max(0, frames);
}
