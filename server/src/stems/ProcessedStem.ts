import type { StemFormat } from './DecodedAudio.ts';
import type { StemAnalysis } from './StemAnalysis.ts';

/** What validating a stem's bytes produces: everything stored beside it, computed off the main thread. */
export interface ProcessedStem {
  /** SHA-256 of the file's bytes, hex. */
  contentHash: string;
  byteLength: number;
  format: StemFormat;
  encoding: string;
  bitDepth: number | null;
  float: boolean;
  sampleRate: number;
  channels: number;
  frames: number;
  loudness: StemAnalysis['loudness'];
  /** The waveform peaks, encoded (shared/protocol encodeWaveformPeaks). */
  peaks: Uint8Array;
  /** The playback copy (WAV) for a non-WAV source; null when the source plays as it is. */
  playbackWav: Uint8Array | null;
}

/** One stem to validate. */
export interface StemJob {
  fileName: string;
  maxSeconds: number;
  /** The room's session rate: a stem at another rate is refused. */
  sessionRate: number;
}
