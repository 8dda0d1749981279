import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs small JSON payloads with HMAC-SHA256 under the server secret:
 * `base64url(json) + "." + base64url(mac)`. Used for invite links and session cookies, so
 * neither needs a server-side lookup to prove it was issued here, and neither can be
 * altered (a changed role or expiry breaks the MAC). Verification is constant-time.
 */
export interface TokenSigner {
  sign(payload: object): string;
  /** The payload when the token is well-formed and its MAC matches, else null. */
  verify(token: string): unknown;
}

/** Shortest secret accepted: 32 bytes of key material for HMAC-SHA256. */
export const MIN_SECRET_BYTES = 32;

export function createTokenSigner(secret: Uint8Array, purpose: string): TokenSigner {
  if (secret.byteLength < MIN_SECRET_BYTES) throw new Error(`auth secret must be at least ${MIN_SECRET_BYTES} bytes`);
  // The purpose is mixed into the MAC so an invite token can never pass as a session cookie.
  const mac = (body: string): Buffer => createHmac('sha256', secret).update(`${purpose}.${body}`).digest();
  return {
    sign(payload) {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > 8192) return null;
      const dot = token.indexOf('.');
      if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
      const body = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      } catch {
        return null;
      }
    },
  };
}
