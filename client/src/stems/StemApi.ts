/**
 * Where a stem's files are fetched from: the server hands out short-lived URLs (same-origin
 * app paths with the embedded store, presigned S3 URLs with real S3); they are used as given.
 */
export type StemVariant = 'source' | 'playback' | 'peaks';

const STEM_KEY = /^rooms\/[A-Za-z0-9_-]{1,64}\/stems\/([0-9a-f]{64})\//;

/** The content hash inside a StemRef key, or null for a key the server did not make. */
export function stemHashOf(key: string): string | null {
  return STEM_KEY.exec(key)?.[1] ?? null;
}

/** Error from the stems API, carrying the server's user-facing message. */
export class StemApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'StemApiError';
  }
}

/** Asks the server for a short-lived GET URL of one variant of a stem. */
export async function fetchStemUrl(roomId: string, key: string, variant: StemVariant, signal: AbortSignal): Promise<string> {
  const hash = stemHashOf(key);
  if (!hash) throw new StemApiError(400, `Not a stored stem: ${key}`);
  const res = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/stems/${hash}/url?variant=${variant}`, { signal, credentials: 'same-origin' });
  const body = (await res.json().catch(() => null)) as { url?: string; error?: { message?: string } } | null;
  if (!res.ok || !body?.url) throw new StemApiError(res.status, body?.error?.message ?? `Could not get the stem (${res.status})`);
  return body.url;
}
