import { describe, expect, it } from 'vitest';
import { decodeWaveformPeaks, encodeWaveformPeaks, PEAKS_MAGIC } from './encodeWaveformPeaks.ts';
import type { WaveformPeaks } from './WaveformPeaks.ts';

const peaks: WaveformPeaks = {
  sampleRate: 48_000,
  channels: 2,
  frames: 1000,
  levels: [
    { samplesPerBin: 256, bins: 4, data: Int16Array.from({ length: 16 }, (_, i) => (i % 2 ? 1000 * i : -1000 * i)) },
    { samplesPerBin: 1024, bins: 1, data: Int16Array.of(-15000, 14000, -32767, 32767) },
  ],
};

describe('the MRPK peaks codec', () => {
  it('round-trips every level exactly, in the documented layout', () => {
    const bytes = encodeWaveformPeaks(peaks);
    expect(bytes.length).toBe(20 + 2 * 8 + (16 + 4) * 2);
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(0, false)).toBe(PEAKS_MAGIC);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('MRPK');
    expect(v.getUint32(8, true)).toBe(48_000);
    expect(decodeWaveformPeaks(bytes)).toEqual(peaks);
    // A view into a larger buffer (a fetched body, a Node Buffer) decodes the same.
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 7);
    expect(decodeWaveformPeaks(padded.subarray(7))).toEqual(peaks);
  });

  it('refuses damaged input with a clear error, never a huge allocation', () => {
    const bytes = encodeWaveformPeaks(peaks);
    expect(() => decodeWaveformPeaks(new TextEncoder().encode('RIFF....WAVEfmt data'))).toThrow(/Not a Mixroom peaks file/);
    expect(() => decodeWaveformPeaks(bytes.subarray(0, 10))).toThrow(/Not a Mixroom peaks file/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint16(4, 2, true);
    expect(() => decodeWaveformPeaks(newer)).toThrow(/Unsupported peaks version/);
    expect(() => decodeWaveformPeaks(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
    const lying = bytes.slice();
    new DataView(lying.buffer).setUint32(16, 0xffffffff, true); // 4 billion levels
    expect(() => decodeWaveformPeaks(lying)).toThrow(/truncated/);
  });
});
