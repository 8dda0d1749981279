import type { StemFormat } from './DecodedAudio.ts';

const EXTENSIONS: Record<StemFormat, string> = {
  wav: 'wav',
  aiff: 'aiff',
  flac: 'flac',
  mp3: 'mp3',
  'ogg-vorbis': 'ogg',
  'ogg-opus': 'opus',
};

const STEM_KEY = /^rooms\/([A-Za-z0-9_-]{1,64})\/stems\/([0-9a-f]{64})\/source\.(wav|aiff|flac|mp3|ogg|opus)$/;

/**
 * Object keys, all made here from the room id and the content hash; the user's file name
 * never appears in a key. Uploads in progress live under their own top-level prefix so the
 * sweep of abandoned uploads lists only those, never the stored stems.
 *
 *   uploads/<room>/<uuid>                the multipart upload target (deleted after validation)
 *   uploads/<room>/<uuid>.json           its manifest (file name, size, S3 upload id)
 *   rooms/<room>/stems/<sha256>/source.<ext>   the validated original (StemRef.key)
 *   rooms/<room>/stems/<sha256>/playback.wav   decoded copy, only for non-WAV sources
 *   rooms/<room>/stems/<sha256>/peaks.bin | analysis.json
 */
export const stemKeys = {
  uploadsPrefix: 'uploads/',
  incoming: (room: string, uploadId: string) => `uploads/${room}/${uploadId}`,
  manifest: (room: string, uploadId: string) => `uploads/${room}/${uploadId}.json`,
  dir: (room: string, hash: string) => `rooms/${room}/stems/${hash}/`,
  source: (room: string, hash: string, format: StemFormat) => `rooms/${room}/stems/${hash}/source.${EXTENSIONS[format]}`,
  playbackCopy: (room: string, hash: string) => `rooms/${room}/stems/${hash}/playback.wav`,
  peaks: (room: string, hash: string) => `rooms/${room}/stems/${hash}/peaks.bin`,
  analysis: (room: string, hash: string) => `rooms/${room}/stems/${hash}/analysis.json`,
};

/** Splits a StemRef key into room and hash, or null when it is not a stem key. */
export function parseStemKey(key: string): { room: string; hash: string; extension: string } | null {
  const m = STEM_KEY.exec(key);
  return m ? { room: m[1]!, hash: m[2]!, extension: m[3]! } : null;
}

/**
 * The object to play or bake for a stem (StemRef.key): the source itself when it is WAV,
 * otherwise the decoded WAV copy stored beside it. Pass to createS3StemSource's `objectKey`.
 */
export function stemPlaybackKey(stemKey: string): string {
  const p = parseStemKey(stemKey);
  if (!p) throw new Error(`Not a stem key: ${stemKey}`);
  return p.extension === 'wav' ? stemKey : stemKeys.playbackCopy(p.room, p.hash);
}
