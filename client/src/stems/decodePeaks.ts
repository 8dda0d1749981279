import type { WaveformPeaks } from './WaveformPeaks.ts';

const MAGIC = 0x4d52504b;

/**
 * Parses the server's `peaks.bin` (see server/src/stems/encodeWaveformPeaks.ts: "MRPK",
 * version 1, levels of int16 min/max per channel per bin) into one min/max lane per level,
 * channels merged, which is what a track lane draws.
 */
export function decodePeaks(bytes: ArrayBuffer): WaveformPeaks[] {
  const v = new DataView(bytes);
  if (bytes.byteLength < 20 || v.getUint32(0, false) !== MAGIC) throw new Error('Not a Mixroom peaks file');
  if (v.getUint16(4, true) !== 1) throw new Error('Unsupported peaks version');
  const channels = v.getUint16(6, true);
  const sampleRate = v.getUint32(8, true);
  const count = v.getUint32(16, true);
  let at = 20;
  const dims: { samplesPerBin: number; bins: number }[] = [];
  for (let i = 0; i < count; i++, at += 8) dims.push({ samplesPerBin: v.getUint32(at, true), bins: v.getUint32(at + 4, true) });
  return dims.map((d) => {
    const data = new Float32Array(d.bins * 2);
    if (at + d.bins * channels * 4 > bytes.byteLength) throw new Error('Peaks file is truncated');
    for (let b = 0; b < d.bins; b++) {
      let lo = 32767;
      let hi = -32768;
      for (let c = 0; c < channels; c++, at += 4) {
        lo = Math.min(lo, v.getInt16(at, true));
        hi = Math.max(hi, v.getInt16(at + 2, true));
      }
      data[2 * b] = lo / 32767;
      data[2 * b + 1] = hi / 32767;
    }
    return { bucketSeconds: d.samplesPerBin / sampleRate, data };
  });
}
