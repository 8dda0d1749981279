import { createMiddleware } from 'hono/factory';
import type { Auth } from './createAuth.ts';

/**
 * On page loads and API reads (GET), lets the auth service move an old signed cookie into
 * the store or extend an aging session, and sends the new cookie with the response. Never on
 * other methods: those must not sign anyone in behind the route's back.
 */
export function refreshSessions(auth: Auth) {
  return createMiddleware(async (c, next) => {
    if (c.req.method === 'GET') {
      const setCookie = await auth.refreshSession(c.req.raw);
      if (setCookie !== null) c.header('set-cookie', setCookie, { append: true });
    }
    await next();
  });
}
