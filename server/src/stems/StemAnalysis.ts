import type { StemFormat } from './DecodedAudio.ts';

/**
 * What the server stores as `analysis.json` beside each stem. Levels that are -Infinity
 * (silence) are stored as null: JSON has no infinity.
 */
export interface StemAnalysis {
  version: 1;
  key: string;
  /** SHA-256 of the uploaded bytes, hex. */
  contentHash: string;
  fileName: string;
  byteLength: number;
  format: StemFormat;
  encoding: string;
  bitDepth: number | null;
  sampleRate: number;
  channels: number;
  frames: number;
  durationSeconds: number;
  /** Object a browser (and the bake) should play: the source when it is WAV, else a WAV copy. */
  playbackKey: string;
  peaksKey: string;
  loudness: {
    integratedLufs: number | null;
    loudnessRangeLu: number;
    maxMomentaryLufs: number | null;
    maxShortTermLufs: number | null;
    truePeakDbtp: number | null;
    truePeakPerChannelDbtp: (number | null)[];
    samplePeakDbfs: number | null;
  };
  createdAt: string;
}
