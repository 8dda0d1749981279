/** Types the app serves stored objects as; all inert in a browser (no markup, no script). */
const INERT_TYPES = new Set([
  'audio/wav',
  'audio/aiff',
  'audio/flac',
  'audio/mpeg',
  'audio/ogg',
  'application/json',
  'application/octet-stream',
]);

/**
 * The Content-Type to serve an object with: its own when it is one of the inert types the
 * server writes, otherwise `application/octet-stream`. Whatever got stored under a type such
 * as `text/html` is never served as a page.
 */
export function safeObjectType(type: string | undefined): string {
  const bare = (type ?? '').split(';')[0]!.trim().toLowerCase();
  return INERT_TYPES.has(bare) ? bare : 'application/octet-stream';
}
