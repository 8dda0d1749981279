import type { IncomingMessage } from 'node:http';
import type { StoreCredentials } from './loadStoreCredentials.ts';
import { verifySigV4, type SigV4Verdict } from './verifySigV4.ts';

export interface StoreGuardOptions {
  readonly credentials: StoreCredentials;
  readonly region: string;
  readonly now: () => number;
  /**
   * Behave as real S3 does for browsers: presigned URLs and CORS preflights are accepted.
   * The embedded store never does (browsers go through the app); tests of the real-S3 mode
   * use a store that does, as their stand-in for S3.
   */
  readonly presigned?: boolean;
}

/** S3 allows a request time this far from its clock. */
export const MAX_STORE_SKEW_MS = 15 * 60_000;

/**
 * What stands in front of the embedded store (s3rver checks no SigV4 signature at all and
 * lets anonymous requests through). Only the server's own SDK may talk to it:
 * - HTML form posts are refused (s3rver would store them and redirect the browser there);
 * - anything a browser sends is refused outright (an `Origin` or `Sec-Fetch-*` header, a
 *   CORS preflight), so no web page can write or read an object;
 * - everything else must carry a valid header SigV4 signature made with the per-install key,
 *   dated within 15 minutes (see `verifySigV4`).
 */
export async function guardStoreRequest(req: IncomingMessage, options: StoreGuardOptions): Promise<SigV4Verdict> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (req.method === 'POST' && (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded') || type.startsWith('text/plain'))) {
    return { ok: false, code: 'AccessDenied', message: 'Form posts are refused.' };
  }
  if (options.presigned) {
    // S3 answers CORS preflights from the bucket's CORS rules, unsigned.
    if (req.method === 'OPTIONS') return { ok: true };
  } else if (req.method === 'OPTIONS' || req.headers.origin !== undefined || Object.keys(req.headers).some((h) => h.startsWith('sec-fetch-'))) {
    return { ok: false, code: 'AccessDenied', message: 'Browsers cannot talk to this store; use the app.' };
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return verifySigV4(
    { method: req.method ?? 'GET', path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), headers: req.headers },
    { credentials: options.credentials, region: options.region, now: options.now(), maxSkewMs: MAX_STORE_SKEW_MS, presigned: options.presigned ?? false },
  );
}
