import { describe, expect, it } from 'vitest';
import { computeWaveformPeaks } from './computeWaveformPeaks.ts';
import { decodeWaveformPeaks, encodeWaveformPeaks } from '@mixroom/shared/protocol';

describe('waveform peaks', () => {
  it('finds min/max per bin at every level and survives the binary round trip', () => {
    const fs = 48000;
    const frames = 100_000;
    const left = new Float32Array(frames);
    const right = new Float32Array(frames);
    // A single click at frame 70_000 in the left channel, a -6 dB square in the right.
    left[70_000] = 0.9;
    for (let i = 0; i < frames; i++) right[i] = (Math.floor(i / 100) % 2 ? 0.5 : -0.5);
    const peaks = computeWaveformPeaks([left, right], fs);
    expect(peaks.levels.map((l) => [l.samplesPerBin, l.bins])).toEqual([
      [256, 391],
      [1024, 98],
      [4096, 25],
      [16384, 7],
      [65536, 2],
    ]);
    for (const level of peaks.levels) {
      const clickBin = Math.floor(70_000 / level.samplesPerBin);
      for (let b = 0; b < level.bins; b++) {
        expect(level.data[b * 4 + 1]).toBe(b === clickBin ? Math.round(0.9 * 32767) : 0); // left max
        expect(level.data[b * 4 + 2]).toBe(Math.round(-0.5 * 32767)); // right min
        expect(level.data[b * 4 + 3]).toBe(Math.round(0.5 * 32767)); // right max
      }
    }
    const bytes = encodeWaveformPeaks(peaks);
    // Compact: 4 bytes per channel per bin at the finest level (plus coarser levels, ~1/3 more).
    expect(bytes.length).toBeLessThan(20 + 5 * 8 + 391 * 8 * 1.4);
    expect(decodeWaveformPeaks(bytes)).toEqual(peaks);
    expect(() => decodeWaveformPeaks(bytes.subarray(0, bytes.length - 10))).toThrow(/truncated/);
  });
});
