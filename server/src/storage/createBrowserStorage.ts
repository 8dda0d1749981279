import type { BodyLimitRule } from '../http/limitBodies.ts';
import type { MountRoutes } from '../http/ServerServices.ts';
import { createObjectRoutes } from './createObjectRoutes.ts';
import { createPresignedLinks } from './createPresignedLinks.ts';
import { createProxiedLinks, OBJECT_ROUTE_PREFIX } from './createProxiedLinks.ts';
import { createObjectLinkSigner } from './ObjectLinkToken.ts';
import type { OpenedObjectStore } from './openObjectStore.ts';
import type { StorageLinks } from './StorageLinks.ts';

export interface BrowserStorage {
  /** The URLs handed to browsers for stems, peaks, parts and downloads. */
  readonly links: StorageLinks;
  /** Mounts the object routes (embedded store only; a no-op with real S3). */
  readonly mount: MountRoutes;
  /**
   * Part uploads are larger than the app's default body limit. The object route itself
   * refuses any body but the exact length its link signed, before reading it; the rule only
   * lets it see the request (S3's largest part, 5 GiB).
   */
  readonly bodyLimits: readonly BodyLimitRule[];
  /** The origin the browser fetches objects from when it is not the app's own (CSP connect-src): real S3's, else null. */
  origin(): Promise<string | null>;
}

/**
 * How browsers reach stored objects. One origin: with the embedded store they go through
 * the app's token-checked object routes (tokens signed with the install's `secret`) and never
 * see the store; with real S3 they use presigned URLs straight to S3.
 */
export function createBrowserStorage(objects: OpenedObjectStore, secret: Uint8Array, now: () => number): BrowserStorage {
  if (!objects.embedded) {
    const links = createPresignedLinks(objects.store);
    // Exactly where the presigned URLs point (path- or virtual-hosted style, any endpoint).
    return { links, mount: () => undefined, bodyLimits: [], origin: async () => new URL(await links.read('csp-probe', { ttlSeconds: 60 })).origin };
  }
  const signer = createObjectLinkSigner(secret, now);
  return {
    links: createProxiedLinks(signer, now),
    mount: (app) => {
      app.route(OBJECT_ROUTE_PREFIX, createObjectRoutes({ store: objects.store, links: signer, ...(objects.localRead ? { read: objects.localRead } : {}) }));
    },
    origin: async () => null,
    bodyLimits: [{ method: 'PUT', path: new RegExp(`^${OBJECT_ROUTE_PREFIX}/[^/]+$`), maxBytes: 5 * 1024 ** 3 }],
  };
}
