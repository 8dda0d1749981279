/**
 * Multi-resolution waveform peaks: for each zoom level, each bin of `samplesPerBin` frames
 * holds the min and max of every channel. Level 0 is the finest; each next level merges
 * four bins of the one before, so every level agrees with its neighbours exactly.
 */
export interface WaveformPeaks {
  sampleRate: number;
  channels: number;
  frames: number;
  levels: WaveformPeakLevel[];
}

export interface WaveformPeakLevel {
  samplesPerBin: number;
  bins: number;
  /** Interleaved [min, max] per channel per bin: index (bin * channels + ch) * 2. Scaled to int16 (32767 = full scale). */
  data: Int16Array;
}

/** Finest level: 256 frames per bin (~5 ms at 48 kHz); then 1024, 4096, 16384, 65536. */
export const PEAK_BASE_SAMPLES_PER_BIN = 256;
export const PEAK_LEVEL_COUNT = 5;
export const PEAK_LEVEL_FACTOR = 4;
