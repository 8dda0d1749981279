import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { API_ERROR_STATUS, type ApiErrorBody, type ApiErrorCode } from '@mixroom/shared/protocol';

export interface ApiErrorOptions {
  /** Another status than the code's usual one (see `API_ERROR_STATUS`). */
  status?: number;
  cause?: unknown;
  /** Extra response headers (`retry-after`, `connection: close`...). */
  headers?: Record<string, string>;
}

/**
 * The one error type of the HTTP API boundary: a code from shared/protocol's set, its
 * status and a message a user can act on, sent as `{ error: { code, message } }`
 * (`ApiErrorBody`). Thrown anywhere below a route (a stem decoder in its worker thread
 * included); Hono turns it into the response.
 */
export class ApiError extends HTTPException {
  override readonly name = 'ApiError';
  private readonly headers: Record<string, string>;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super((options.status ?? API_ERROR_STATUS[code]) as ContentfulStatusCode, { message, cause: options.cause });
    this.headers = options.headers ?? {};
  }

  toJSON(): ApiErrorBody {
    return { error: { code: this.code, message: this.message } };
  }

  override getResponse(): Response {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...this.headers },
    });
  }
}
