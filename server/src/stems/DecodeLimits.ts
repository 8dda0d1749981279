/** A stream's shape, known from its headers before any sample is decoded. */
export interface StreamShape {
  readonly sampleRate: number;
  readonly channels: number;
}

/** Limits applied while decoding. */
export interface DecodeLimits {
  /** Longest accepted stem, seconds: no decoder produces more than `maxSeconds × rate` frames. */
  maxSeconds: number;
  /**
   * Called once the stream's rate and channel count are known, before any memory is sized
   * from them or a sample is decoded; throws (an ApiError) to refuse the stream. The upload
   * path refuses other rates than the session's and more than two channels here, so a header
   * claiming 655 kHz or 8 channels cannot make the budget below huge.
   */
  accept?: (shape: StreamShape) => void;
}

/** The most frames a stream at `sampleRate` may decode to under `limits`. */
export function maxFramesAt(limits: DecodeLimits, sampleRate: number): number {
  return Math.floor(limits.maxSeconds * sampleRate);
}
