import type { PeakLane } from './PeakLane.ts';

/** Waveform peaks and stem loading progress per track, filled in the background. */
export interface StemMedia {
  peaks(): ReadonlyMap<string, readonly PeakLane[]>;
  /** 0..1 per track id while a stem loads for the first time; absent = ready once (or no stem). */
  progress(): ReadonlyMap<string, number>;
  /** Returns the disposer. */
  onChange(listener: () => void): () => void;
}
