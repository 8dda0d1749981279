import type { WaveformPeaks } from '@mixroom/shared/protocol';
import type { PeakLane } from './PeakLane.ts';

/**
 * One lane per level of a stem's peaks (decoded with shared/protocol's
 * `decodeWaveformPeaks`), channels merged into one min/max pair per bin, scaled to -1..1:
 * what a track lane draws.
 */
export function toPeakLanes(peaks: WaveformPeaks): PeakLane[] {
  const { channels, sampleRate } = peaks;
  return peaks.levels.map((level) => {
    const data = new Float32Array(level.bins * 2);
    for (let b = 0, at = 0; b < level.bins; b++) {
      let lo = 32767;
      let hi = -32768;
      for (let c = 0; c < channels; c++, at += 2) {
        lo = Math.min(lo, level.data[at]!);
        hi = Math.max(hi, level.data[at + 1]!);
      }
      data[2 * b] = lo / 32767;
      data[2 * b + 1] = hi / 32767;
    }
    return { bucketSeconds: level.samplesPerBin / sampleRate, data };
  });
}
