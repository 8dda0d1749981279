/** Why a stem request failed; the client shows `message` to the user as is. */
export const STEM_ERROR_CODES = [
  'not-audio',
  'unsupported-format',
  'corrupt',
  'truncated',
  'empty',
  'too-large',
  'too-long',
  'sample-rate-mismatch',
  /** The file could not be processed within a stem's memory or time (a decoder bomb, or a crash). */
  'unprocessable',
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'storage',
] as const;
export type StemErrorCode = (typeof STEM_ERROR_CODES)[number];

const STATUS: Record<StemErrorCode, number> = {
  'not-audio': 422,
  'unsupported-format': 415,
  corrupt: 422,
  truncated: 422,
  empty: 422,
  'too-large': 413,
  'too-long': 413,
  'sample-rate-mismatch': 422,
  unprocessable: 422,
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  storage: 502,
};

/** The one error type of the stems boundary: a code, an HTTP status and a human message. */
export class StemError extends Error {
  override readonly name = 'StemError';
  readonly status: number;

  constructor(
    readonly code: StemErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = STATUS[code];
  }

  toJSON(): { error: { code: StemErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
