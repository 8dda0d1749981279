import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'hono/utils/cookie';
import { cookieHeaderOf, type AuthRequest } from './Member.ts';

/** Cookie naming the visitor a server-rendered form was issued to (sent only to `/join`). */
export const FORM_COOKIE = 'mixroom_form';
const FORM_COOKIE_TTL_S = 24 * 3600;
const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * CSRF tokens for the server-rendered forms (the invite join page): the page carries
 * HMAC(secret, visitor id) in a hidden field and the visitor id rides in an HttpOnly cookie.
 * A page on another site can neither read the cookie nor compute the MAC, so it cannot
 * forge a post that passes (and the Origin check refuses it before that).
 */
export interface FormGuard {
  /** The token for this request's visitor, and a Set-Cookie when the visitor is new. */
  issue(request: AuthRequest): { token: string; setCookie: string | null };
  /** True when `token` was issued to this request's visitor. */
  verify(request: AuthRequest, token: string): boolean;
}

export function createFormGuard(options: { secret: Uint8Array; newId: () => string; secureCookies: boolean }): FormGuard {
  const mac = (visitor: string): Buffer => createHmac('sha256', options.secret).update(`form.${visitor}`).digest();
  const visitorOf = (request: AuthRequest): string | null => {
    const value = parse(cookieHeaderOf(request), FORM_COOKIE)[FORM_COOKIE];
    return value !== undefined && VISITOR_ID.test(value) ? value : null;
  };
  return {
    issue(request) {
      const known = visitorOf(request);
      const visitor = known ?? options.newId();
      const setCookie =
        known !== null
          ? null
          : serialize(FORM_COOKIE, visitor, { path: '/join', httpOnly: true, sameSite: 'Lax', secure: options.secureCookies, maxAge: FORM_COOKIE_TTL_S });
      return { token: mac(visitor).toString('base64url'), setCookie };
    },
    verify(request, token) {
      const visitor = visitorOf(request);
      if (visitor === null || typeof token !== 'string' || token.length > 128) return false;
      const given = Buffer.from(token, 'base64url');
      const expected = mac(visitor);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
