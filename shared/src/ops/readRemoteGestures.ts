import type { Awareness } from 'y-protocols/awareness';
import { mayApplyGestures } from '../protocol/Presence.ts';
import { GESTURE_FIELD, type GestureAwarenessState } from './createGesture.ts';

/**
 * The gestures other peers are making right now, by awareness client id, so the UI can
 * move their faders live and the engine can ramp to in-progress values before they are
 * committed. Awareness is untrusted input: malformed entries are skipped, and so are
 * gestures of anyone whose server-stamped role may not edit the mix.
 */
export function readRemoteGestures(awareness: Awareness): Map<number, GestureAwarenessState> {
  const out = new Map<number, GestureAwarenessState>();
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID || !mayApplyGestures(state)) continue;
    const g = (state as Record<string, unknown> | undefined)?.[GESTURE_FIELD] as Partial<GestureAwarenessState> | null | undefined;
    if (!g || typeof g.target !== 'string' || typeof g.param !== 'string') continue;
    if (typeof g.value !== 'number' || !Number.isFinite(g.value)) continue;
    const also = g.also as Partial<NonNullable<GestureAwarenessState['also']>> | undefined;
    const gesture: GestureAwarenessState = { target: g.target, param: g.param, value: g.value };
    if (also && typeof also.param === 'string' && typeof also.value === 'number' && Number.isFinite(also.value)) gesture.also = { param: also.param, value: also.value };
    out.set(clientId, gesture);
  }
  return out;
}
