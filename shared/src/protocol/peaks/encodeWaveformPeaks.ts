import type { WaveformPeaks } from './WaveformPeaks.ts';

/** File magic "MRPK" of a stem's `peaks.bin`. */
export const PEAKS_MAGIC = 0x4d52504b;
/** Format version of a stem's `peaks.bin`; a reader refuses any other. */
export const PEAKS_VERSION = 1;

/**
 * Writes peaks as the `peaks.bin` object the server stores beside each stem and browsers
 * fetch to draw lanes. Compact little-endian binary:
 *
 *   u32 magic "MRPK" (big-endian bytes), u16 version=1, u16 channels,
 *   u32 sampleRate, u32 frames, u32 levelCount,
 *   levelCount x { u32 samplesPerBin, u32 bins },
 *   then for each level in order: bins x channels x { i16 min, i16 max }  (32767 = full scale)
 *
 * About 8 bytes per 256 frames per channel at the finest level: ~1/85 of 16-bit PCM.
 */
export function encodeWaveformPeaks(peaks: WaveformPeaks): Uint8Array {
  const header = 20 + peaks.levels.length * 8;
  const total = header + peaks.levels.reduce((n, l) => n + l.data.length * 2, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, PEAKS_MAGIC, false);
  v.setUint16(4, PEAKS_VERSION, true);
  v.setUint16(6, peaks.channels, true);
  v.setUint32(8, peaks.sampleRate, true);
  v.setUint32(12, peaks.frames, true);
  v.setUint32(16, peaks.levels.length, true);
  let at = 20;
  for (const l of peaks.levels) {
    v.setUint32(at, l.samplesPerBin, true);
    v.setUint32(at + 4, l.bins, true);
    at += 8;
  }
  for (const l of peaks.levels) {
    for (let i = 0; i < l.data.length; i++, at += 2) v.setInt16(at, l.data[i]!, true);
  }
  return out;
}

/** Parses {@link encodeWaveformPeaks} output; throws on a damaged, truncated or newer-version buffer. */
export function decodeWaveformPeaks(bytes: Uint8Array): WaveformPeaks {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 20 || v.getUint32(0, false) !== PEAKS_MAGIC) throw new Error('Not a Mixroom peaks file');
  if (v.getUint16(4, true) !== PEAKS_VERSION) throw new Error('Unsupported peaks version');
  const channels = v.getUint16(6, true);
  const sampleRate = v.getUint32(8, true);
  const frames = v.getUint32(12, true);
  const count = v.getUint32(16, true);
  if (20 + count * 8 > bytes.length) throw new Error('Peaks file is truncated');
  let at = 20;
  const dims: { samplesPerBin: number; bins: number }[] = [];
  for (let i = 0; i < count; i++, at += 8) dims.push({ samplesPerBin: v.getUint32(at, true), bins: v.getUint32(at + 4, true) });
  const levels = dims.map((d) => {
    const data = new Int16Array(d.bins * channels * 2);
    if (at + data.length * 2 > bytes.length) throw new Error('Peaks file is truncated');
    for (let i = 0; i < data.length; i++, at += 2) data[i] = v.getInt16(at, true);
    return { ...d, data };
  });
  return { sampleRate, channels, frames, levels };
}
