import { BakeError, type BakeErrorDetails } from '../BakeError.ts';

/**
 * The error for a stem whose data ends before its header's frame count, however that was
 * found (the stream ran dry, the file is short at open, a worker's read came back empty):
 * one wording, so the room shows the same message for the same fault.
 */
export function truncatedStemError(label: string, present: number, frames: number, sampleRate: number, details: BakeErrorDetails = {}): BakeError {
  const seconds = (present / sampleRate).toFixed(2);
  return new BakeError('stem-truncated', `${label}: stem is truncated: it ends after ${present} of ${frames} frames (${seconds} s).`, details);
}
