/**
 * Multi-resolution waveform peaks of one stem, as stored in its `peaks.bin` (see
 * {@link encodeWaveformPeaks}): for each zoom level, each bin of `samplesPerBin` frames
 * holds the min and max of every channel. Level 0 is the finest.
 */
export interface WaveformPeaks {
  sampleRate: number;
  channels: number;
  frames: number;
  levels: WaveformPeakLevel[];
}

/** One zoom level of {@link WaveformPeaks}. */
export interface WaveformPeakLevel {
  samplesPerBin: number;
  bins: number;
  /** Interleaved [min, max] per channel per bin: index (bin * channels + ch) * 2. Scaled to int16 (32767 = full scale). */
  data: Int16Array;
}
