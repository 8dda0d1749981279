import { isValidId } from '../model/createId.ts';

/**
 * What an in-progress gesture (a fader drag streamed through awareness, see shared/ops
 * `createGesture`) moves: the master, a track or bus strip (ids are unique across both), or
 * one send. Decoded, never parsed at a call site: peers' awareness is untrusted input.
 */
export type GestureTarget =
  | { readonly kind: 'master' }
  | { readonly kind: 'strip'; readonly id: string }
  | { readonly kind: 'send'; readonly fromId: string; readonly busId: string };

/** Separates a send's source strip from its bus on the wire (ids never contain it). */
const SEND_SEPARATOR = '>';
const MASTER = 'master';

/**
 * The wire spelling of a gesture target, as peers have sent it since v1: `master`, the
 * strip's id, or `<fromId>><busId>` for a send.
 */
export function encodeGestureTarget(target: GestureTarget): string {
  switch (target.kind) {
    case 'master':
      return MASTER;
    case 'strip':
      return target.id;
    case 'send':
      return `${target.fromId}${SEND_SEPARATOR}${target.busId}`;
  }
}

/** Reads {@link encodeGestureTarget}'s output; null for anything else (ids that are not valid ids included). */
export function decodeGestureTarget(wire: unknown): GestureTarget | null {
  if (typeof wire !== 'string') return null;
  if (wire === MASTER) return { kind: 'master' };
  const at = wire.indexOf(SEND_SEPARATOR);
  if (at < 0) return isValidId(wire) ? { kind: 'strip', id: wire } : null;
  const fromId = wire.slice(0, at);
  const busId = wire.slice(at + 1);
  return isValidId(fromId) && isValidId(busId) ? { kind: 'send', fromId, busId } : null;
}
