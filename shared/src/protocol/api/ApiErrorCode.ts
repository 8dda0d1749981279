/**
 * Every reason the HTTP API refuses a request, with the status it is sent with (a few
 * callers pick another, e.g. `busy` is 429 for one room and 503 for the whole server).
 * Codes are kebab-case. A code is part of the contract (clients and tests match it): add
 * codes freely, rename one only with every client that reads it.
 */
export const API_ERROR_STATUS = {
  // The request itself
  'bad-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'cross-origin': 403,
  'not-found': 404,
  conflict: 409,
  'length-required': 411,
  'too-large': 413,
  /** A write that would take the room's document past the server's size limit (MAX_ROOM_BYTES). */
  'room-full': 413,
  /** A count cap of the room's records (comments in a room, replies in a thread) is reached. */
  'limit-reached': 409,
  'unsupported-media-type': 415,
  range: 416,
  'rate-limited': 429,
  busy: 503,
  internal: 500,
  storage: 502,
  // Invites and storage links
  'invite-invalid': 403,
  'invite-expired': 410,
  'invite-revoked': 410,
  'invite-used': 410,
  'link-invalid': 403,
  'link-expired': 403,
  // An uploaded stem file
  'not-audio': 422,
  'unsupported-format': 415,
  corrupt: 422,
  truncated: 422,
  empty: 422,
  'too-long': 413,
  'sample-rate-mismatch': 422,
  /** The file could not be processed within a stem's memory or time (a decoder bomb, or a crash). */
  unprocessable: 422,
} as const;

/** A stable, machine-readable reason for a refusal; the message beside it is for people. */
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

/** The one shape of every refused API request's body. `message` is meant for the user as is. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

/** True for a string that is one of the {@link ApiErrorCode}s. */
export function isApiErrorCode(code: unknown): code is ApiErrorCode {
  return typeof code === 'string' && Object.hasOwn(API_ERROR_STATUS, code);
}

/**
 * The `{code, message}` of a refusal body, or null when `body` is not one (a proxy's HTML
 * error page, an empty body). A code this build does not know is kept as a string.
 */
export function readApiError(body: unknown): { code: string; message: string } | null {
  const error = (body as { error?: unknown } | null | undefined)?.error as { code?: unknown; message?: unknown } | null | undefined;
  if (typeof error !== 'object' || error === null) return null;
  if (typeof error.code !== 'string' || typeof error.message !== 'string') return null;
  return { code: error.code, message: error.message };
}
