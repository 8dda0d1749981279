import type { StemSource } from '../../server/src/render/input/StemSource.ts';
import { BakeError } from '../../server/src/render/BakeError.ts';

/**
 * The bake's StemSource over planar arrays held in memory (the parity tests generate
 * their stems), streamed as float32 sample data in `blockFrames` blocks like a file would be.
 */
export function memoryStemSource(stems: ReadonlyMap<string, Float32Array[]>, sampleRate: number, blockFrames = 4096): StemSource {
  return {
    async open(key) {
      const channels = stems.get(key);
      if (!channels) throw new BakeError('stem-missing', `No stem "${key}".`);
      const frames = channels[0]!.length;
      const width = channels.length;
      // Interleaved float32, as a float WAV's data chunk holds it (decoding gives back the same numbers).
      async function* data(): AsyncGenerator<Uint8Array> {
        for (let at = 0; at < frames; at += blockFrames) {
          const n = Math.min(frames, at + blockFrames) - at;
          const chunk = new Float32Array(n * width);
          for (let c = 0; c < width; c++) for (let i = 0; i < n; i++) chunk[i * width + c] = channels![c]![at + i]!;
          yield new Uint8Array(chunk.buffer);
        }
      }
      return { channels: width, sampleRate, frames, encoding: 'float32', bytesPerFrame: 4 * width, data: data(), close: async () => {} };
    },
  };
}
