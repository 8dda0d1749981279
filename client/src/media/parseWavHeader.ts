/** Sample layout of a PCM WAV file's data chunk. */
export interface WavFormat {
  channels: number;
  sampleRate: number;
  /** Sample frames in the data chunk. */
  frames: number;
  bitsPerSample: number;
  float: boolean;
}

/** Where a WAV file's samples are: its format and the byte offset of the first frame. */
export interface WavLayout {
  format: WavFormat;
  /** Byte offset of frame 0 in the file. */
  dataOffset: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
}

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

/**
 * Reads a (RIFF, not RF64) PCM WAV header from the first bytes of a file. Returns null while
 * `bytes` ends before the data chunk's header (fetch more and call again); throws
 * WavFormatError for anything that is not 16/24/32-bit integer or 32/64-bit float PCM.
 */
export function parseWavHeader(b: Uint8Array): WavLayout | null {
  if (b.length < 12) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const tag = (at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFormatError('Not a WAV file');
  let at = 12;
  let fmt: Omit<WavFormat, 'frames'> | null = null;
  let blockAlign = 0;
  while (at + 8 <= b.length) {
    const id = tag(at);
    const size = v.getUint32(at + 4, true);
    if (id === 'data') {
      if (!fmt) throw new WavFormatError('WAV data before its format chunk');
      return { format: { ...fmt, frames: Math.floor(size / blockAlign) }, dataOffset: at + 8, blockAlign };
    }
    if (at + 8 + size > b.length) return null; // wait for the whole chunk
    if (id === 'fmt ') {
      let code = v.getUint16(at + 8, true);
      const channels = v.getUint16(at + 10, true);
      const sampleRate = v.getUint32(at + 12, true);
      blockAlign = v.getUint16(at + 20, true);
      const bitsPerSample = v.getUint16(at + 22, true);
      if (code === 0xfffe && size >= 40) code = v.getUint16(at + 32, true);
      const float = code === 3;
      if (!(code === 1 || code === 3)) throw new WavFormatError(`Unsupported WAV encoding ${code}`);
      if (![16, 24, 32, 64].includes(bitsPerSample) || (float && bitsPerSample < 32)) throw new WavFormatError(`Unsupported WAV bit depth ${bitsPerSample}`);
      if (channels < 1 || blockAlign !== channels * (bitsPerSample / 8)) throw new WavFormatError('Inconsistent WAV format chunk');
      fmt = { channels, sampleRate, bitsPerSample, float };
    }
    at += 8 + size + (size & 1);
  }
  return null;
}
