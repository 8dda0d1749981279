import { randomBytes } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Logger } from '../log/Logger.ts';
import { runWithLogFields } from '../log/LogContext.ts';

/** An id from the proxy (Caddy sets one) is kept when it is a plain token; anything else is replaced. */
const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** Where a request names a room: the API, the page, the sync endpoint. */
const ROOM_IN_PATH = /^\/(?:api\/rooms|room|sync)\/([A-Za-z0-9_-]{1,64})(?:~review)?(?:\/|$)/;

export function newRequestId(): string {
  return randomBytes(9).toString('base64url');
}

/** The request id (`x-request-id` when the proxy sent a usable one) and the room of a path. */
export function requestLogFields(headers: { get(name: string): string | null | undefined }, path: string): { requestId: string; roomId?: string } {
  const incoming = headers.get('x-request-id');
  const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : newRequestId();
  const room = ROOM_IN_PATH.exec(path)?.[1];
  return room ? { requestId, roomId: room } : { requestId };
}

/**
 * First middleware: every log line written while handling the request carries its
 * `requestId` (and `roomId` when the path names one), the response says `x-request-id`, and
 * a failed (5xx) or slow request is logged with its method, path, status and time.
 */
export function assignRequestIds(logger: Logger, slowMs = 2000) {
  return createMiddleware(async (c, next) => {
    const fields = requestLogFields({ get: (n) => c.req.header(n) }, c.req.path);
    c.header('x-request-id', fields.requestId);
    const started = performance.now();
    await runWithLogFields(fields, async () => {
      await next();
      // Again on the final response: an error handler's response replaces the one prepared above.
      try {
        if (c.res.headers.get('x-request-id') !== fields.requestId) c.res.headers.set('x-request-id', fields.requestId);
      } catch {
        // A response with immutable headers (a proxied fetch) keeps its own.
      }
      const ms = Math.round(performance.now() - started);
      const status = c.res.status;
      if (status >= 500) logger.error('request failed', { method: c.req.method, path: c.req.path, status, ms });
      else if (ms >= slowMs) logger.warn('slow request', { method: c.req.method, path: c.req.path, status, ms });
      else logger.debug('request', { method: c.req.method, path: c.req.path, status, ms });
    });
  });
}
