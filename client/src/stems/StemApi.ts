import type { StemVariant } from '@mixroom/shared/protocol';
import { createMixroomClient, pathParams, refusalMessage } from '../api/mixroomApi.ts';

/** Which file of a stem; the contract's own type, re-exported for the loaders. */
export type { StemVariant } from '@mixroom/shared/protocol';

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

const api = createMixroomClient();

/**
 * Asks the server for a short-lived GET URL of one variant of a stem (a same-origin app path
 * with the embedded store, a presigned S3 URL with real S3); it is used as given.
 */
export async function fetchStemUrl(roomId: string, key: string, variant: StemVariant, signal: AbortSignal): Promise<string> {
  const hash = stemHashOf(key);
  if (!hash) throw new StemApiError(400, `Not a stored stem: ${key}`);
  const res = await api.api.rooms[':room'].stems[':hash'].url.$get({ param: pathParams({ room: roomId, hash }), query: { variant } }, { init: { signal } });
  const fallback = `Could not get the stem (${res.status})`;
  if (!res.ok) throw new StemApiError(res.status, await refusalMessage(res, fallback));
  const body = await res.json().catch(() => null);
  if (!body?.url) throw new StemApiError(res.status, fallback);
  return body.url;
}
