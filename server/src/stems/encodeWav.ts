/**
 * Writes planar float channels as a canonical 44-byte-header WAV: 24-bit PCM (rounded and
 * clamped) or 32-bit IEEE float. Written here rather than through a library because it is
 * a fixed header plus a tight loop, and the general-purpose encoder was ~40x slower on
 * minute-long stems (it builds per-sample arrays).
 */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number, kind: '24' | '32f'): Uint8Array {
  const n = channels.length;
  const frames = channels[0]?.length ?? 0;
  const bytesPerSample = kind === '24' ? 3 : 4;
  const dataBytes = frames * n * bytesPerSample;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const str = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  str(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, kind === '24' ? 1 : 3, true);
  v.setUint16(22, n, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * n * bytesPerSample, true);
  v.setUint16(32, n * bytesPerSample, true);
  v.setUint16(34, bytesPerSample * 8, true);
  str(36, 'data');
  v.setUint32(40, dataBytes, true);
  let at = 44;
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
