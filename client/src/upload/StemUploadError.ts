/** Why an upload failed; `message` is the server's (or our) user-facing text. */
export class StemUploadError extends Error {
  override readonly name = 'StemUploadError';
  constructor(
    /** Server code (`not-audio`, `truncated`, `too-large`, ...) or `network` / `cancelled`. */
    readonly code: string,
    message: string,
    /** HTTP status, 0 for network failures. */
    readonly status: number,
  ) {
    super(message);
  }
}
