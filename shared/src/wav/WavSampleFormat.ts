/** Sample encodings of a WAV data chunk that Mixroom decodes (browser, stem check and bake). */
export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

export const WAVE_FORMAT_PCM = 1;
export const WAVE_FORMAT_IEEE_FLOAT = 3;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** The sample encoding of a fmt chunk's format tag and bit depth, or null for one we do not decode (A-law, 12-bit...). */
export function wavSampleFormat(formatTag: number, bitsPerSample: number): WavSampleFormat | null {
  if (formatTag === WAVE_FORMAT_PCM) {
    if (bitsPerSample === 8) return 'pcm8';
    if (bitsPerSample === 16) return 'pcm16';
    if (bitsPerSample === 24) return 'pcm24';
    if (bitsPerSample === 32) return 'pcm32';
  }
  if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bitsPerSample === 32) return 'float32';
    if (bitsPerSample === 64) return 'float64';
  }
  return null;
}
