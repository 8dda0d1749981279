import type { StemLoader } from '../audio/MixEngine.ts';
import { openRangeWavReader } from '../media/openRangeWavReader.ts';
import { fetchStemUrl } from './StemApi.ts';

export interface StemLoaderOptions {
  roomId: string;
}

/**
 * Opens stems' playback WAVs (short-lived URLs from the server) for chunked playback:
 * the header is read once, then the engine reads only the chunks around the playhead with
 * HTTP Range requests, so a room's memory does not grow with its stems' length.
 */
export function createStemLoader(options: StemLoaderOptions): StemLoader {
  return (stem, signal, hint) =>
    openRangeWavReader((s) => fetchStemUrl(options.roomId, stem.key, 'playback', s), signal, {
      // The start's audio with the header, sized for 24-bit (most stems): 16-bit gets more, 32-bit float reads the rest apart.
      headBytes: hint ? hint.firstFrames * stem.channels * 3 : 0,
    });
}
