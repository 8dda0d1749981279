import type { WaveformPeakLevel, WaveformPeaks } from '@mixroom/shared/protocol';

/** Finest level: 256 frames per bin (~5 ms at 48 kHz); then 1024, 4096, 16384, 65536. */
export const PEAK_BASE_SAMPLES_PER_BIN = 256;
export const PEAK_LEVEL_COUNT = 5;
/** Each level merges this many bins of the one before, so every level agrees with its neighbours exactly. */
export const PEAK_LEVEL_FACTOR = 4;

const toInt16 = (v: number) => Math.max(-32767, Math.min(32767, Math.round(v * 32767)));

/** Computes every zoom level of min/max peaks for planar float channels. */
export function computeWaveformPeaks(channelData: readonly Float32Array[], sampleRate: number): WaveformPeaks {
  const channels = channelData.length;
  const frames = channelData[0]?.length ?? 0;
  const levels: WaveformPeakLevel[] = [];
  let spb = PEAK_BASE_SAMPLES_PER_BIN;
  let bins = Math.ceil(frames / spb);
  let data = new Int16Array(bins * channels * 2);
  for (let c = 0; c < channels; c++) {
    const x = channelData[c]!;
    for (let b = 0; b < bins; b++) {
      let lo = Infinity;
      let hi = -Infinity;
      const end = Math.min(frames, (b + 1) * spb);
      for (let i = b * spb; i < end; i++) {
        const v = x[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      data[(b * channels + c) * 2] = toInt16(lo);
      data[(b * channels + c) * 2 + 1] = toInt16(hi);
    }
  }
  levels.push({ samplesPerBin: spb, bins, data });
  for (let l = 1; l < PEAK_LEVEL_COUNT; l++) {
    const prev = levels[l - 1]!;
    spb *= PEAK_LEVEL_FACTOR;
    bins = Math.ceil(frames / spb);
    data = new Int16Array(bins * channels * 2);
    for (let b = 0; b < bins; b++) {
      for (let c = 0; c < channels; c++) {
        let lo = 32767;
        let hi = -32767;
        const end = Math.min(prev.bins, (b + 1) * PEAK_LEVEL_FACTOR);
        for (let p = b * PEAK_LEVEL_FACTOR; p < end; p++) {
          lo = Math.min(lo, prev.data[(p * channels + c) * 2]!);
          hi = Math.max(hi, prev.data[(p * channels + c) * 2 + 1]!);
        }
        data[(b * channels + c) * 2] = lo;
        data[(b * channels + c) * 2 + 1] = hi;
      }
    }
    levels.push({ samplesPerBin: spb, bins, data });
  }
  return { sampleRate, channels, frames, levels };
}
