import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export interface SecurityHeadersOptions {
  /**
   * Origin of a real S3 endpoint the browser reads stems from and PUTs parts to (presigned
   * URLs); null with the embedded store, whose objects come from the app's own origin.
   */
  readonly storageOrigin: string | null;
  /** Send Strict-Transport-Security (the public URL is https on a real host name). */
  readonly hsts: boolean;
}

/**
 * Security headers on every response of the app, pages, API and objects alike (a route that
 * set its own, such as the join page's CSP or an object's `sandbox`, keeps it):
 * - CSP: everything from the app's origin. `blob:` scripts only because
 *   standardized-audio-context loads each AudioWorklet module through a blob: URL wrapping
 *   the fetched source; inline styles because lit templates carry `style` attributes;
 *   `data:` images for the favicon; `connect-src` adds the S3 endpoint in real-S3 mode.
 *   No framing (`frame-ancestors 'none'`), no plugins, no `<base>`, forms post only here.
 * - `nosniff`; `Referrer-Policy: same-origin`: no URL (an invite token sits in the join
 *   page's) ever reaches another origin. Not `no-referrer`: under it browsers send
 *   `Origin: null` on their own same-origin POSTs (Fetch spec), which the Origin check refuses.
 * - `X-Frame-Options: DENY` for old browsers, same-origin COOP/CORP.
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  return secureHeaders({
    overwrite: false,
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", 'blob:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", ...(options.storageOrigin ? [options.storageOrigin] : [])],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    xContentTypeOptions: true,
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    strictTransportSecurity: options.hsts ? 'max-age=15552000' : false,
  });
}
