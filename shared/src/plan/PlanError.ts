/** Why a mix state or plan cannot be realised, with the offending node and field. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
  readonly code = 'PLAN_INVALID' as const;
  constructor(
    message: string,
    /** Plan node id (or '' for the plan itself). */
    readonly nodeId: string,
    /** Dotted path of the bad field, e.g. `params.threshold`. */
    readonly field: string,
  ) {
    super(message);
  }
}
