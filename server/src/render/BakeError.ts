/**
 * The one error type of the bake boundary. `code` says what a caller can do about it
 * (re-upload a stem, fix the plan, nothing: it was cancelled); `trackId`/`stemKey` name
 * the culprit so the room can show "Bass DI: stem is truncated at 1:32" instead of a gap.
 */
export const BAKE_ERROR_CODES = [
  'stem-missing',
  'stem-corrupt',
  'stem-truncated',
  'stem-format',
  'plan-invalid',
  'cancelled',
  'encoder',
  'worker',
  'storage',
] as const;
export type BakeErrorCode = (typeof BAKE_ERROR_CODES)[number];

export interface BakeErrorDetails {
  trackId?: string;
  trackName?: string;
  stemKey?: string;
  cause?: unknown;
}

export class BakeError extends Error {
  override name = 'BakeError';
  readonly code: BakeErrorCode;
  readonly trackId: string | undefined;
  readonly trackName: string | undefined;
  readonly stemKey: string | undefined;

  constructor(code: BakeErrorCode, message: string, details: BakeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.trackId = details.trackId;
    this.trackName = details.trackName;
    this.stemKey = details.stemKey;
  }

  /** Plain data so the error survives postMessage from a worker and JSON to the room. */
  toJSON(): { code: BakeErrorCode; message: string; trackId?: string; trackName?: string; stemKey?: string } {
    return {
      code: this.code,
      message: this.message,
      ...(this.trackId === undefined ? {} : { trackId: this.trackId }),
      ...(this.trackName === undefined ? {} : { trackName: this.trackName }),
      ...(this.stemKey === undefined ? {} : { stemKey: this.stemKey }),
    };
  }

  /** Re-labels a stem error with the track that was reading it. */
  forTrack(trackId: string, trackName: string): BakeError {
    const prefix = `Track "${trackName}": `;
    const message = this.message.startsWith(prefix) ? this.message : prefix + this.message;
    return new BakeError(this.code, message, { trackId, trackName, stemKey: this.stemKey, cause: this.cause });
  }
}

/** The error a cancelled bake rejects with, whichever stage noticed the abort first. */
export function cancelledError(signal?: AbortSignal): BakeError {
  return new BakeError('cancelled', 'The bake was cancelled.', { cause: signal?.reason });
}
