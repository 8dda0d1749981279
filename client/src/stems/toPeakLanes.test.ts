import { describe, expect, it } from 'vitest';
import { decodeWaveformPeaks, encodeWaveformPeaks, type WaveformPeaks } from '@mixroom/shared/protocol';
import { toPeakLanes } from './toPeakLanes.ts';

describe('toPeakLanes', () => {
  it('merges channels into one min/max pair per bin, scaled to -1..1, one lane per level', () => {
    // Two bins of stereo: bin 0 left [-0.5, 0.25], right [-0.1, 0.9]; bin 1 silent left, right full scale.
    const q = (x: number) => Math.round(x * 32767);
    const peaks: WaveformPeaks = {
      sampleRate: 48_000,
      channels: 2,
      frames: 512,
      levels: [
        { samplesPerBin: 256, bins: 2, data: Int16Array.of(q(-0.5), q(0.25), q(-0.1), q(0.9), 0, 0, -32767, 32767) },
        { samplesPerBin: 1024, bins: 1, data: Int16Array.of(q(-0.5), q(0.25), -32767, 32767) },
      ],
    };
    const lanes = toPeakLanes(decodeWaveformPeaks(encodeWaveformPeaks(peaks)));
    expect(lanes.map((l) => l.bucketSeconds)).toEqual([256 / 48_000, 1024 / 48_000]);
    expect([...lanes[0]!.data].map((x) => Math.round(x * 1e4) / 1e4)).toEqual([-0.5, 0.9, -1, 1]);
    expect([...lanes[1]!.data]).toEqual([-1, 1]);
  });
});
