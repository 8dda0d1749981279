import { decodeWavFrames as decodeFrames } from '@mixroom/shared/wav';
import type { WavFormat } from './parseWavHeader.ts';

/**
 * Decodes whole sample frames of WAV data (`bytes` starts on a frame boundary) into
 * per-channel Float32Arrays, writing from index `at`, with the bake's own sample decoder
 * (shared/wav), so browser and bake read the same numbers. Returns the number of frames
 * written (trailing bytes of a partial frame are ignored).
 */
export function decodeWavFrames(bytes: Uint8Array, format: WavFormat, targets: Float32Array[], at = 0): number {
  const block = (format.bitsPerSample / 8) * format.channels;
  const frames = Math.min(Math.floor(bytes.length / block), ...targets.map((t) => t.length - at));
  if (frames <= 0) return 0;
  decodeFrames(bytes, format.sampleFormat, frames, targets, at);
  return frames;
}
