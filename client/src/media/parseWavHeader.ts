import { parseWavHeader as readWavHeader, WavHeaderError, type WavSampleFormat } from '@mixroom/shared/wav';

/** Sample layout of a PCM WAV file's data chunk. */
export interface WavFormat {
  channels: number;
  sampleRate: number;
  /** Sample frames in the data chunk. */
  frames: number;
  bitsPerSample: number;
  float: boolean;
  sampleFormat: WavSampleFormat;
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
 * Reads a PCM WAV header from the first bytes of a file (shared/wav walks the chunks).
 * Returns null while `bytes` ends before the data chunk's header (fetch more and call
 * again); throws WavFormatError for anything that is not 16/24/32-bit integer or 32/64-bit
 * float PCM.
 */
export function parseWavHeader(b: Uint8Array): WavLayout | null {
  let h: ReturnType<typeof readWavHeader>;
  try {
    h = readWavHeader(b);
  } catch (error) {
    if (!(error instanceof WavHeaderError)) throw error;
    throw new WavFormatError(error.problem === 'not-wav' ? 'Not a WAV file' : error.problem === 'data-before-fmt' ? 'WAV data before its format chunk' : 'Inconsistent WAV format chunk');
  }
  if ('pending' in h) return null;
  const { formatTag, channels, sampleRate, blockAlign, bitsPerSample, sampleFormat } = h;
  if (!(formatTag === 1 || formatTag === 3)) throw new WavFormatError(`Unsupported WAV encoding ${formatTag}`);
  if (sampleFormat === null || sampleFormat === 'pcm8') throw new WavFormatError(`Unsupported WAV bit depth ${bitsPerSample}`);
  if (channels < 1 || blockAlign !== channels * (bitsPerSample / 8)) throw new WavFormatError('Inconsistent WAV format chunk');
  const format = { channels, sampleRate, frames: Math.floor(h.dataBytes / blockAlign), bitsPerSample, float: formatTag === 3, sampleFormat };
  return { format, dataOffset: h.dataOffset, blockAlign };
}
