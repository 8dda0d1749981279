import type { ObjectLinkSigner } from './ObjectLinkToken.ts';
import type { StorageLinks } from './StorageLinks.ts';

/** Where `createObjectRoutes` is mounted. */
export const OBJECT_ROUTE_PREFIX = '/api/objects';

/**
 * Links for the embedded store: relative app paths (`/api/objects/<token>`), so the browser
 * talks to the app's origin only, whatever host name it used to reach it.
 */
export function createProxiedLinks(signer: ObjectLinkSigner, now: () => number): StorageLinks {
  const url = (token: string) => `${OBJECT_ROUTE_PREFIX}/${token}`;
  return {
    kind: 'app',
    read: async (key, { ttlSeconds, fileName, contentType }) =>
      url(
        signer.sign({
          m: 'GET',
          k: key,
          exp: now() + ttlSeconds * 1000,
          ...(fileName !== undefined ? { f: fileName } : {}),
          ...(contentType !== undefined ? { t: contentType } : {}),
        }),
      ),
    writePart: async (key, s3UploadId, partNumber, byteLength, ttlSeconds) =>
      url(signer.sign({ m: 'PUT', k: key, exp: now() + ttlSeconds * 1000, u: s3UploadId, p: partNumber, n: byteLength })),
  };
}
