/** Thrown by a kernel's `setParams` (or constructor) when a value is not a finite number. */
export class DspParamError extends Error {
  override readonly name = 'DspParamError';
  readonly code = 'DSP_BAD_PARAM' as const;
  constructor(
    /** The parameter's name, e.g. `"threshold"`. */
    readonly param: string,
    /** The refused value. */
    readonly value: unknown,
  ) {
    super(`DSP parameter "${param}" must be a finite number, got ${String(value)}`);
  }
}
