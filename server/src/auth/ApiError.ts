import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Machine-readable reasons an API request is refused; the message says what to do. */
export type ApiErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invite_invalid'
  | 'invite_expired'
  | 'invite_revoked'
  | 'unavailable'
  | 'cross_origin'
  | 'unsupported_media_type'
  | 'too_large'
  | 'rate_limited'
  | 'invite_used'
  | 'busy';

/**
 * The one error type of the HTTP API boundary: a status, a stable code and a message a user
 * can act on, sent as `{ error: { code, message } }`. Thrown anywhere in a route; Hono turns
 * it into the response.
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    cause?: unknown,
    /** Extra response headers (`retry-after`, `connection: close`...). */
    headers: Record<string, string> = {},
  ) {
    super(status, {
      message,
      cause,
      res: new Response(JSON.stringify({ error: { code, message } }), {
        status,
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      }),
    });
  }
}
