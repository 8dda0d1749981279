import { stemShapeProblem } from '@mixroom/shared/protocol';
import type { StreamShape } from './DecodeLimits.ts';
import { ApiError } from '../http/ApiError.ts';

export { MAX_STEM_CHANNELS } from '@mixroom/shared/protocol';

/**
 * Refuses a stem the room cannot use, from its header, before it is decoded (see
 * `stemShapeProblem`, which the browser runs on the same header first). Checking first also
 * keeps a header's claims (655 kHz, 8 channels) from sizing the decode budget.
 */
export function checkStemShape(fileName: string, shape: StreamShape, sessionRate: number): void {
  const problem = stemShapeProblem(fileName, shape, sessionRate);
  if (problem) throw new ApiError(problem.code, problem.message);
}
