import { AudioBuffer } from 'standardized-audio-context';
import type { TAnyAudioBuffer } from 'standardized-audio-context';
import type { StemRef } from '@mixroom/shared/model';
import type { StemLoader } from '../audio/MixEngine.ts';
import { fetchStemUrl } from './StemApi.ts';
import { WavStreamReader, WavFormatError } from './WavStreamReader.ts';

export interface StemLoaderOptions {
  roomId: string;
  /** Progress 0..1 of one stem's download+decode (they happen together). */
  onProgress: (stem: StemRef, fraction: number) => void;
  /** Loads at once; more would only compete for the same bandwidth. */
  concurrency?: number;
}

/**
 * Loads a stem's playback WAV from S3 (presigned URL from the server) and decodes it while
 * it streams, straight into an AudioBuffer with the stem's own channel count and rate:
 * mono stays mono, nothing is decoded twice, and no compressed or intermediate copy is kept.
 */
export function createStemLoader(options: StemLoaderOptions): StemLoader {
  const limit = Math.max(1, options.concurrency ?? 4);
  let active = 0;
  const queue: (() => void)[] = [];
  const acquire = () =>
    new Promise<void>((resolve) => {
      if (active < limit) {
        active++;
        resolve();
      } else queue.push(() => {
        active++;
        resolve();
      });
    });
  const release = () => {
    active--;
    queue.shift()?.();
  };

  return async (stem, signal): Promise<TAnyAudioBuffer> => {
    await acquire();
    try {
      signal.throwIfAborted();
      options.onProgress(stem, 0);
      const url = await fetchStemUrl(options.roomId, stem.key, 'playback', signal);
      // no-store: the decoded buffer is the only copy we keep; an (in-memory, for private
      // windows) HTTP cache of every stem file would double the room's memory.
      const res = await fetch(url, { signal, cache: 'no-store' });
      if (!res.ok || !res.body) throw new Error(`Stem download failed (${res.status})`);
      const total = Number(res.headers.get('content-length')) || 0;
      const reader = res.body.getReader();
      const wav = new WavStreamReader();
      let buffer: AudioBuffer | null = null;
      let received = 0;
      let lastReport = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
        const format = wav.push(value);
        if (format && !buffer) {
          buffer = new AudioBuffer({ length: Math.max(1, format.frames), numberOfChannels: format.channels, sampleRate: format.sampleRate });
          const b = buffer;
          wav.setTargets(Array.from({ length: format.channels }, (_, c) => b.getChannelData(c)));
        }
        const fraction = total ? received / total : 0;
        if (fraction - lastReport >= 0.02) {
          lastReport = fraction;
          options.onProgress(stem, Math.min(0.999, fraction));
        }
      }
      if (!buffer) throw new WavFormatError('The stem file ended before its audio data');
      options.onProgress(stem, 1);
      return buffer as unknown as TAnyAudioBuffer;
    } finally {
      release();
    }
  };
}
