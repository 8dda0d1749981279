/** Limits applied while decoding (before, where the header declares the length). */
export interface DecodeLimits {
  /** Longest accepted stem, seconds. */
  maxSeconds: number;
}
