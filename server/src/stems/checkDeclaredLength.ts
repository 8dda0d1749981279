import type { DecodeLimits } from './DecodeLimits.ts';
import { formatDuration } from './formatDuration.ts';
import { ApiError } from '../http/ApiError.ts';

/** Rejects zero-length and over-long audio; called before decoding when the header says the length. */
export function checkDeclaredLength(frames: number, sampleRate: number, channels: number, limits: DecodeLimits): void {
  if (sampleRate < 1 || channels < 1) throw new ApiError('corrupt', 'The file declares no channels or no sample rate.');
  if (frames <= 0) throw new ApiError('empty', 'The file contains no audio (zero length).');
  const seconds = frames / sampleRate;
  if (seconds > limits.maxSeconds) {
    throw new ApiError(
      'too-long',
      `The stem is ${formatDuration(seconds)} long; the limit is ${formatDuration(limits.maxSeconds)}.`,
    );
  }
}
