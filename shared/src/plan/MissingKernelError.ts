/** Thrown when a plan names a processor kind this build has no kernel for. */
export class MissingKernelError extends Error {
  override readonly name = 'MissingKernelError';
  constructor(readonly kind: string) {
    super(`No DSP kernel for processor kind "${kind}"`);
  }
}
