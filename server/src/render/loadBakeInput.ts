import { readFile } from 'node:fs/promises';
import { validateMixState, type MixState } from '@mixroom/shared/model';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { BakeError } from './BakeError.ts';

export interface BakeInput {
  plan: MixPlan;
  /** Track names by id when the input was a mix state (for error messages). */
  trackNames: Record<string, string>;
}

/**
 * Reads what the CLI is pointed at: a MixPlan JSON, a MixState JSON (a room's mix or a
 * version snapshot), or `{ "state": MixState }`. A mix state is validated and planned with
 * the same `buildMixPlan` the browser uses.
 */
export async function loadBakeInput(file: string): Promise<BakeInput> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new BakeError('plan-invalid', `Cannot read ${file} as JSON: ${(err as Error).message}`, { cause: err });
  }
  const obj = json as Record<string, unknown> | null;
  if (obj && typeof obj === 'object' && Array.isArray(obj.nodes) && Array.isArray(obj.edges)) {
    return { plan: obj as unknown as MixPlan, trackNames: {} };
  }
  const candidate = obj && typeof obj === 'object' && 'state' in obj && !('session' in obj) ? obj.state : obj;
  const checked = validateMixState(candidate);
  if (!checked.ok) {
    throw new BakeError('plan-invalid', `${file} is neither a MixPlan nor a valid MixState:\n  ${checked.issues.slice(0, 10).join('\n  ')}`);
  }
  const state: MixState = checked.state;
  return { plan: buildMixPlan(state), trackNames: Object.fromEntries(state.tracks.map((t) => [t.id, t.name])) };
}
