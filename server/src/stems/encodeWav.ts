import { WAV_HEADER_BYTES, writeWavHeader } from '@mixroom/shared/wav';

/**
 * Writes planar float channels as a canonical 44-byte-header WAV (shared/wav's header): 24-bit PCM (rounded and
 * clamped) or 32-bit IEEE float. Written here rather than through a library because it is
 * a fixed header plus a tight loop, and the general-purpose encoder was ~40x slower on
 * minute-long stems (it builds per-sample arrays).
 */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number, kind: '24' | '32f'): Uint8Array {
  const n = channels.length;
  const frames = channels[0]?.length ?? 0;
  const bytesPerSample = kind === '24' ? 3 : 4;
  const dataBytes = frames * n * bytesPerSample;
  const out = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  writeWavHeader(out, { channels: n, sampleRate, bitsPerSample: bytesPerSample * 8, float: kind === '32f', dataBytes });
  let at = WAV_HEADER_BYTES;
  const v = new DataView(out.buffer);
  if (kind === '24') {
    const full = 8388608;
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < n; c++) {
        let s = Math.round(channels[c]![i]! * full);
        s = s > full - 1 ? full - 1 : s < -full ? -full : s;
        out[at] = s & 0xff;
        out[at + 1] = (s >> 8) & 0xff;
        out[at + 2] = (s >> 16) & 0xff;
        at += 3;
      }
    }
  } else {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < n; c++, at += 4) v.setFloat32(at, channels[c]![i]!, true);
    }
  }
  return out;
}
