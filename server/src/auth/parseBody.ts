import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './ApiError.ts';

/** Largest JSON request body the review and auth API reads (a comment with a suggestion fits easily). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON (or, for plain HTML forms, urlencoded) body and validates it with `schema`.
 * Anything else, too large, malformed or invalid, becomes a 400 whose message names the
 * fields, never a crash.
 */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  // Refuse a declared oversize body before reading it.
  if (Number(c.req.header('content-length') ?? 0) > MAX_JSON_BODY_BYTES) {
    throw new ApiError(413, 'bad_request', `Request body is too large (over ${MAX_JSON_BODY_BYTES} bytes)`);
  }
  const text = await c.req.text().catch(() => '');
  if (text.length > MAX_JSON_BODY_BYTES) throw new ApiError(413, 'bad_request', `Request body is too large (over ${MAX_JSON_BODY_BYTES} bytes)`);
  let raw: unknown;
  if (type.includes('application/x-www-form-urlencoded')) {
    raw = Object.fromEntries(new URLSearchParams(text));
  } else {
    try {
      raw = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new ApiError(400, 'bad_request', 'Request body must be JSON');
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new ApiError(400, 'bad_request', problems);
  }
  return parsed.data;
}
