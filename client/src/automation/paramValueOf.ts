import type { MixState } from '@mixroom/shared/model';
import type { StripRef } from '../mix/edit/MixActions.ts';

/**
 * The number a strip's parameter holds in `state` ('gain', 'eq.bands.1.freq',
 * 'sends.<busId>.level'; mute as 0/1), or null when the strip, send or parameter is absent.
 */
export function paramValueOf(state: MixState, strip: StripRef, path: string): number | null {
  const s = strip.scope === 'master' ? state.master : (strip.scope === 'track' ? state.tracks : state.buses).find((x) => x.id === strip.id);
  if (!s) return null;
  const parts = path.split('.');
  let node: unknown = s;
  if (parts[0] === 'sends' && parts.length === 3 && 'sends' in s) {
    node = s.sends.find((x) => x.bus === parts[1]);
    parts.splice(0, 2);
  }
  for (const part of parts) {
    if (node === null || typeof node !== 'object' || !(part in node)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'number' ? node : typeof node === 'boolean' ? Number(node) : null;
}
