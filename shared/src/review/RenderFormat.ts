/**
 * Download formats of a baked version. `wav24` is the reference render: an approval names
 * its content hash, and the others are encoded from the same samples.
 */
export const RENDER_FORMATS = ['wav24', 'wav16', 'flac', 'mp3'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** The render whose hash an approval records. */
export const REFERENCE_RENDER_FORMAT: RenderFormat = 'wav24';

/** File extension, MIME type and label of each format. */
export const RENDER_FORMAT_INFO: Readonly<Record<RenderFormat, { ext: string; mime: string; label: string }>> = {
  wav24: { ext: 'wav', mime: 'audio/wav', label: 'WAV 24-bit' },
  wav16: { ext: 'wav', mime: 'audio/wav', label: 'WAV 16-bit' },
  flac: { ext: 'flac', mime: 'audio/flac', label: 'FLAC' },
  mp3: { ext: 'mp3', mime: 'audio/mpeg', label: 'MP3 320' },
};

/** Narrows an untrusted string to a {@link RenderFormat}. */
export function isRenderFormat(value: unknown): value is RenderFormat {
  return typeof value === 'string' && (RENDER_FORMATS as readonly string[]).includes(value);
}
