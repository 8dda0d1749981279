import type { Id, MixState } from '../model/MixState.ts';
import type { ResolvedRouting, ResolvedSend } from './resolveRouting.ts';

/** Who is heard, resolved once so the engine and the bake cannot disagree. */
export interface Audibility {
  /** True when the strip's own output (its `mute` gain node) is open. */
  strip(id: Id): boolean;
  /** True when the send's gain node is open. */
  send(send: ResolvedSend): boolean;
}

/**
 * Solo-in-place with solo-safe, as a console does it:
 * - Without any solo, a strip is heard unless muted.
 * - With any solo (on a track or a bus), a strip stays open only if it is soloed, solo-safe
 *   (aux returns by default, so a soloed vocal keeps its reverb), routed (through its
 *   output chain) into a soloed bus (soloing a group keeps its member tracks), or
 *   downstream of an open strip (soloing a track keeps the group it plays through).
 * - Mute beats solo: a muted strip is closed, and its sends with it. A muted strip's solo
 *   still puts the room in solo mode.
 * - A send is open when its source is open, or when its target bus is soloed (soloing a
 *   reverb return lets you hear the whole return, fed by every send into it).
 */
export function computeAudibility(state: MixState, routing: ResolvedRouting): Audibility {
  const muted = new Map<Id, boolean>();
  const soloed = new Map<Id, boolean>();
  const safe = new Map<Id, boolean>();
  for (const s of [...state.tracks, ...state.buses]) {
    muted.set(s.id, s.mute);
    soloed.set(s.id, s.solo);
    safe.set(s.id, s.soloSafe);
  }
  const soloActive = [...soloed.values()].some(Boolean);

  // The buses a strip's output passes through, nearest first (routing is acyclic).
  const chain = (id: Id): Id[] => {
    const out: Id[] = [];
    let target = routing.output.get(id);
    while (target !== undefined && target !== 'master' && out.length <= routing.output.size) {
      out.push(target);
      target = routing.output.get(target);
    }
    return out;
  };

  const open = new Map<Id, boolean>();
  if (!soloActive) {
    for (const [id, m] of muted) open.set(id, !m);
  } else {
    const kept = new Set<Id>();
    for (const id of muted.keys()) {
      if (soloed.get(id) || safe.get(id) || chain(id).some((b) => soloed.get(b))) kept.add(id);
    }
    // Downstream of a kept, unmuted strip stays open too (its own sources are muted
    // individually, so opening a downstream bus never leaks a non-soloed strip).
    for (const id of [...kept]) {
      if (muted.get(id)) continue;
      for (const b of chain(id)) kept.add(b);
    }
    for (const [id, m] of muted) open.set(id, !m && kept.has(id));
  }

  return {
    strip: (id) => open.get(id) ?? false,
    send: (send) => {
      if (!send.on || muted.get(send.from.id)) return false;
      return (open.get(send.from.id) ?? false) || (soloActive && (soloed.get(send.bus) ?? false));
    },
  };
}
