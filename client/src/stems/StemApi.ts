import type { StemVariant } from '@mixroom/shared/protocol';
import { ApiRequestError, refusalOf } from '../api/ApiRequestError.ts';
import { createMixroomClient, pathParams } from '../api/mixroomApi.ts';

/** Which file of a stem; the contract's own type, re-exported for the loaders. */
export type { StemVariant } from '@mixroom/shared/protocol';

const STEM_KEY = /^rooms\/[A-Za-z0-9_-]{1,64}\/stems\/([0-9a-f]{64})\//;

/** The content hash inside a StemRef key, or null for a key the server did not make. */
export function stemHashOf(key: string): string | null {
  return STEM_KEY.exec(key)?.[1] ?? null;
}

const api = createMixroomClient();

/**
 * Asks the server for a short-lived GET URL of one variant of a stem (a same-origin app path
 * with the embedded store, a presigned S3 URL with real S3); it is used as given.
 */
export async function fetchStemUrl(roomId: string, key: string, variant: StemVariant, signal: AbortSignal): Promise<string> {
  const hash = stemHashOf(key);
  if (!hash) throw new ApiRequestError(400, 'bad-request', `Not a stored stem: ${key}`);
  const res = await api.api.rooms[':room'].stems[':hash'].url.$get({ param: pathParams({ room: roomId, hash }), query: { variant } }, { init: { signal } });
  const fallback = `Could not get the stem (${res.status})`;
  if (!res.ok) throw await refusalOf(res, fallback);
  const body = await res.json().catch(() => null);
  if (!body?.url) throw new ApiRequestError(res.status, 'server', fallback);
  return body.url;
}
