import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './ApiError.ts';

/** Largest JSON request body the API reads (a comment with a suggestion, or the part list of a 1 GB stem's upload, fits easily). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * True when the request says its body is `application/json`. API bodies must be: an HTML form
 * or a `text/plain` fetch from another site is a "simple" request a browser sends without
 * asking, so accepting those would reopen CSRF behind the Origin check.
 */
export function isJsonRequest(c: Context): boolean {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/**
 * Reads an `application/json` body and validates it with `schema`. Any other content type is
 * a 415; too large, malformed or invalid is a 400/413 whose message names the fields, never
 * a crash.
 */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  if (!isJsonRequest(c)) {
    throw new ApiError('unsupported-media-type', 'The request body must be JSON (Content-Type: application/json).');
  }
  // Refuse a declared oversize body before reading it.
  if (Number(c.req.header('content-length') ?? 0) > MAX_JSON_BODY_BYTES) {
    throw new ApiError('too-large', `Request body is too large (over ${MAX_JSON_BODY_BYTES} bytes)`);
  }
  const text = await c.req.text().catch(() => {
    throw new ApiError('bad-request', 'The request body could not be read.');
  });
  if (text.length > MAX_JSON_BODY_BYTES) throw new ApiError('too-large', `Request body is too large (over ${MAX_JSON_BODY_BYTES} bytes)`);
  let raw: unknown;
  try {
    raw = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError('bad-request', 'Request body must be JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new ApiError('bad-request', problems);
  }
  return parsed.data;
}
