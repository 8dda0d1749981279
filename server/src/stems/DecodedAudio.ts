/** Audio container/codec formats the server accepts. */
export const STEM_FORMATS = ['wav', 'aiff', 'flac', 'mp3', 'ogg-vorbis', 'ogg-opus'] as const;
export type StemFormat = (typeof STEM_FORMATS)[number];

/** A fully decoded stem: planar float samples in [-1, 1]. */
export interface DecodedAudio {
  format: StemFormat;
  /** Human-readable encoding, e.g. "PCM 24-bit", "IEEE float 32-bit", "MP3". */
  encoding: string;
  /** Bits per sample for lossless PCM sources; null for lossy codecs. */
  bitDepth: number | null;
  /** True for 32/64-bit float sources. */
  float: boolean;
  sampleRate: number;
  channelData: Float32Array[];
  frames: number;
}
