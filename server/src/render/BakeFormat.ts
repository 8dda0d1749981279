/** Output formats of a bake; the CLI, the HTTP API and the room all name them this way. */
export const BAKE_FORMATS = ['wav24', 'wav16', 'flac', 'mp3'] as const;
export type BakeFormat = (typeof BAKE_FORMATS)[number];

export const BAKE_FORMAT_INFO = {
  wav24: { extension: 'wav', contentType: 'audio/wav', bits: 24 },
  wav16: { extension: 'wav', contentType: 'audio/wav', bits: 16 },
  // FLAC carries the 24-bit dithered master: lossless against the wav24 bake's samples.
  flac: { extension: 'flac', contentType: 'audio/flac', bits: 24 },
  // LAME quantises itself from float; no dither stage.
  mp3: { extension: 'mp3', contentType: 'audio/mpeg', bits: 0 },
} as const satisfies Record<BakeFormat, { extension: string; contentType: string; bits: number }>;

export function isBakeFormat(value: unknown): value is BakeFormat {
  return typeof value === 'string' && (BAKE_FORMATS as readonly string[]).includes(value);
}
