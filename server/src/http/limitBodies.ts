import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './ApiError.ts';

/** A route that needs more than the default body size (e.g. a stem part upload). */
export interface BodyLimitRule {
  readonly method: string;
  readonly path: RegExp;
  readonly maxBytes: number;
}

/**
 * A body-size limit on every route: `defaultBytes` unless a rule names the route. A declared
 * length above the limit is refused before any byte is read; a chunked body is counted as it
 * streams and refused at the first byte past the limit, so nothing larger is ever buffered.
 * The 413 closes the connection, so the client stops sending instead of the server reading
 * and discarding the rest.
 */
export function limitBodies(defaultBytes: number, rules: readonly BodyLimitRule[] = []): MiddlewareHandler {
  const limiter = (maxBytes: number) =>
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError('too-large', `The request body is too large (the limit here is ${maxBytes} bytes).`, { headers: { connection: 'close' } });
      },
    });
  const fallback = limiter(defaultBytes);
  const specific = rules.map((rule) => ({ rule, handler: limiter(rule.maxBytes) }));
  return async (c, next) => {
    const match = specific.find(({ rule }) => rule.method === c.req.method && rule.path.test(c.req.path));
    return (match?.handler ?? fallback)(c, next);
  };
}
