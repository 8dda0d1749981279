import type { WaveformPeaks } from './WaveformPeaks.ts';

/** Waveform peaks and stem loading progress per track, filled in the background. */
export interface StemMedia {
  peaks(): ReadonlyMap<string, readonly WaveformPeaks[]>;
  /** 0..1 per track id; absent = loaded (or no stem). */
  progress(): ReadonlyMap<string, number>;
  /** Returns the disposer. */
  onChange(listener: () => void): () => void;
}
