/** Widest stem Mixroom mixes: the mix model, the browser engine and the bake work on mono and stereo strips. */
export const MAX_STEM_CHANNELS = 2;

/** What a stem's header says about its shape. */
export interface StemShape {
  sampleRate: number;
  channels: number;
}

/** Why a stem cannot join the session, with the words the user reads (same code as the stems API's). */
export interface StemShapeProblem {
  code: 'sample-rate-mismatch' | 'unsupported-format';
  message: string;
}

/**
 * Whether a stem of this shape can join a session at `sessionRate`: another rate is refused
 * (nothing is resampled behind the user's back), and so is a stem wider than stereo (browsers
 * would down-mix it, the bake refuses it, so the two would not hear the same samples). The
 * server checks it from the header before decoding; the browser checks the same header before
 * sending a byte, so a wrong file is refused at once with the very same message.
 * @returns null when the stem fits.
 */
export function stemShapeProblem(fileName: string, shape: StemShape, sessionRate: number): StemShapeProblem | null {
  if (shape.sampleRate !== sessionRate) {
    return {
      code: 'sample-rate-mismatch',
      message:
        `"${fileName}" is ${shape.sampleRate} Hz but this session runs at ${sessionRate} Hz. ` +
        `Export the stem at ${sessionRate} Hz (no resampling is done on upload, so nothing is changed behind your back).`,
    };
  }
  if (shape.channels > MAX_STEM_CHANNELS) {
    return {
      code: 'unsupported-format',
      message:
        `"${fileName}" has ${shape.channels} channels; Mixroom mixes mono and stereo stems. ` +
        'Export it as mono or stereo stems (split a surround bounce into its pairs).',
    };
  }
  return null;
}
