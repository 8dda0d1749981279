import type { StemSource } from '../../server/src/render/StemSource.ts';
import { BakeError } from '../../server/src/render/BakeError.ts';

/**
 * The bake's StemSource over planar arrays held in memory (the parity tests generate
 * their stems), streamed in `blockFrames` blocks like a file would be.
 */
export function memoryStemSource(stems: ReadonlyMap<string, Float32Array[]>, sampleRate: number, blockFrames = 4096): StemSource {
  return {
    async open(key) {
      const channels = stems.get(key);
      if (!channels) throw new BakeError('stem-missing', `No stem "${key}".`);
      const frames = channels[0]!.length;
      async function* blocks(): AsyncGenerator<Float32Array[]> {
        for (let at = 0; at < frames; at += blockFrames) yield channels!.map((c) => c.subarray(at, Math.min(frames, at + blockFrames)));
      }
      return { channels: channels.length, sampleRate, frames, blocks: blocks(), close: async () => {} };
    },
  };
}
