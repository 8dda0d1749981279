import { ApiRequestError } from '../api/ApiRequestError.ts';

/** Why an upload failed: an ApiRequestError, or one the uploader raised itself (`network`, status 0 when nothing answered). */
export class StemUploadError extends ApiRequestError {
  override name = 'StemUploadError';
  constructor(
    /** Server code (`not-audio`, `truncated`, `too-large`, ...) or `network` / `server`. */
    code: string,
    message: string,
    /** HTTP status, 0 for network failures. */
    status: number,
  ) {
    super(status, code, message);
  }
}
