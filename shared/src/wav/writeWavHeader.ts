import { WAVE_FORMAT_IEEE_FLOAT, WAVE_FORMAT_PCM } from './WavSampleFormat.ts';

/** Bytes of the canonical header {@link writeWavHeader} writes; the samples follow it. */
export const WAV_HEADER_BYTES = 44;

export interface WavHeaderFields {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** IEEE float samples (else integer PCM). */
  float: boolean;
  /** Bytes of sample data that follow the header. */
  dataBytes: number;
}

/** Writes the canonical 44-byte RIFF/WAVE header (fmt chunk of 16 bytes, then the data chunk's header) at the start of `out`. */
export function writeWavHeader(out: Uint8Array, { channels, sampleRate, bitsPerSample, float, dataBytes }: WavHeaderFields): void {
  const v = new DataView(out.buffer, out.byteOffset, WAV_HEADER_BYTES);
  const text = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  const blockAlign = channels * (bitsPerSample / 8);
  text(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * blockAlign, true);
  v.setUint16(32, blockAlign, true);
  v.setUint16(34, bitsPerSample, true);
  text(36, 'data');
  v.setUint32(40, dataBytes, true);
}
