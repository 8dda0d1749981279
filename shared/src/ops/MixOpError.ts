/** Why an op refused to write. Stable strings: the UI maps them to messages and the server to HTTP/socket errors. */
export const MIX_OP_ERROR_CODES = [
  'not-initialised',
  'unknown-track',
  'unknown-bus',
  'unknown-param',
  'wrong-type',
  'not-finite',
  'invalid-value',
  'invalid-target',
  'would-create-cycle',
  'invalid-state',
  'schema-too-new',
  /** The parameter may not carry an automation lane (a switch, a type, routing). */
  'not-automatable',
  /** The automation point is not in that lane (another user may have removed it). */
  'unknown-point',
  /** The lane already holds MAX_POINTS_PER_LANE points. */
  'too-many-points',
  /** The mix already holds MIX_CAPS.tracks tracks or MIX_CAPS.buses buses. */
  'too-many-strips',
] as const;
export type MixOpErrorCode = (typeof MIX_OP_ERROR_CODES)[number];

/**
 * The one error type of shared/ops. Thrown before anything is written, so a refused op
 * leaves the document unchanged. The message is meant for the user ("Track abc no longer
 * exists"), the code for programs.
 */
export class MixOpError extends Error {
  readonly code: MixOpErrorCode;

  constructor(code: MixOpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MixOpError';
    this.code = code;
  }
}

/** Type guard usable across module copies (checks the shape, not the prototype). */
export function isMixOpError(value: unknown): value is MixOpError {
  return value instanceof Error && value.name === 'MixOpError' && typeof (value as MixOpError).code === 'string';
}
