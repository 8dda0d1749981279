import { AudioBuffer } from 'standardized-audio-context';
import type { TAnyAudioBuffer } from 'standardized-audio-context';

/**
 * Random access to a stem's samples, a range of frames at a time. The engine plays stems
 * from fixed-size chunks read through this (see createChunkCache), so only a window around
 * the playhead is ever decoded, whatever the stems' length.
 */
export interface StemReader {
  readonly channels: number;
  readonly sampleRate: number;
  /** Sample frames in the stem. */
  readonly frames: number;
  /**
   * Frames [start, start + frames) as a new AudioBuffer of exactly that length with the
   * stem's own channel count (mono stays mono). Rejects on abort.
   */
  read(start: number, frames: number, signal: AbortSignal): Promise<TAnyAudioBuffer>;
}

/** A StemReader or, for callers that already hold the whole stem, its AudioBuffer. */
export function isStemReader(x: TAnyAudioBuffer | StemReader): x is StemReader {
  return typeof (x as StemReader).read === 'function';
}

/**
 * A StemReader over a stem already decoded into one AudioBuffer (offline renders, tests):
 * chunks are copies of its frames, so it plays through the same chunked path as a stem
 * read from S3.
 */
export function bufferStemReader(buffer: TAnyAudioBuffer): StemReader {
  return {
    channels: buffer.numberOfChannels,
    sampleRate: buffer.sampleRate,
    frames: buffer.length,
    read(start, frames, signal) {
      signal.throwIfAborted();
      const n = Math.max(1, Math.min(frames, buffer.length - start));
      const out = new AudioBuffer({ length: n, numberOfChannels: buffer.numberOfChannels, sampleRate: buffer.sampleRate });
      for (let c = 0; c < buffer.numberOfChannels; c++) out.copyToChannel(buffer.getChannelData(c).subarray(start, start + n), c);
      return Promise.resolve(out as unknown as TAnyAudioBuffer);
    },
  };
}
