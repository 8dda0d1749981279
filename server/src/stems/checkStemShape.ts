import type { StreamShape } from './DecodeLimits.ts';
import { ApiError } from '../http/ApiError.ts';

/** Widest stem Mixroom mixes: the mix model, the browser engine and the bake work on mono and stereo strips. */
export const MAX_STEM_CHANNELS = 2;

/**
 * Refuses a stem the room cannot use, from its header, before it is decoded: another rate
 * than the session's (nothing is resampled behind the user's back) or more than two channels
 * (a wider file would be down-mixed by browsers but refused by the bake, so the two would not
 * hear the same samples). Checking first also keeps a header's claims (655 kHz, 8 channels)
 * from sizing the decode budget.
 */
export function checkStemShape(fileName: string, shape: StreamShape, sessionRate: number): void {
  if (shape.sampleRate !== sessionRate) {
    throw new ApiError(
      'sample-rate-mismatch',
      `"${fileName}" is ${shape.sampleRate} Hz but this session runs at ${sessionRate} Hz. ` +
        `Export the stem at ${sessionRate} Hz (no resampling is done on upload, so nothing is changed behind your back).`,
    );
  }
  if (shape.channels > MAX_STEM_CHANNELS) {
    throw new ApiError(
      'unsupported-format',
      `"${fileName}" has ${shape.channels} channels; Mixroom mixes mono and stereo stems. ` +
        'Export it as mono or stereo stems (split a surround bounce into its pairs).',
    );
  }
}
