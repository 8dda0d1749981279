import { can, isRole, type Role } from './Role.ts';

/**
 * Presence travels as Yjs awareness states: one JSON object per awareness client id. The
 * sync server relays them, but it owns two fields of every state and rewrites them on the
 * way through, so no client can claim to be someone else or push a mix change it may not make:
 *
 * - `user` is replaced by the socket's identity as the server resolved it (session and room
 *   role), whatever the client put there;
 * - `gesture` (an in-progress drag, see shared/ops createGesture) is cleared to `null` when
 *   the socket's role may not edit the mix.
 *
 * Every other field (playhead, touched control) is the client's own and relayed as sent.
 */
export const PRESENCE_FIELDS = {
  /** The {@link PresenceUser} this state belongs to; stamped by the server. */
  user: 'user',
  /** The in-progress gesture or null; dropped by the server from read-only roles. */
  gesture: 'gesture',
} as const;

/** Who a presence state belongs to, as the server stamped it. */
export interface PresenceUser {
  /** The user's id on the server (also the actor of their transaction origin). */
  id: string;
  name: string;
  /** Their role in this room. */
  role: Role;
  /** CSS colour of their highlight and playhead, derived from `id` (see {@link presenceColor}). */
  color: string;
}

/** Distinct, readable-on-dark colours for people in a room. */
const PALETTE = ['#ff8c5a', '#3ecf8e', '#e6d23a', '#c58cff', '#ff6b9a', '#4fd1e0', '#9bd14f', '#ffb347'];

/** A stable colour for a user id: the same person has the same colour on every peer. */
export function presenceColor(userId: string): string {
  let h = 2166136261;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}

/** The presence user of an identity the server resolved (or a client's own member record). */
export function presenceUserOf(identity: { readonly userId: string; readonly name: string; readonly role: Role }): PresenceUser {
  return { id: identity.userId, name: identity.name, role: identity.role, color: presenceColor(identity.userId) };
}

/**
 * `state` as the server relays it: `user` replaced by `user`, and `gesture` cleared when that
 * user's role may not edit the mix. `state` is not modified.
 */
export function stampPresenceState(state: Readonly<Record<string, unknown>>, user: PresenceUser): Record<string, unknown> {
  const out: Record<string, unknown> = { ...state, [PRESENCE_FIELDS.user]: user };
  if (!can(user.role, 'editMix') && out[PRESENCE_FIELDS.gesture] != null) out[PRESENCE_FIELDS.gesture] = null;
  return out;
}

/** The stamped user of an untrusted awareness state, or null when absent or malformed. */
export function readPresenceUser(state: unknown): PresenceUser | null {
  if (typeof state !== 'object' || state === null) return null;
  const user = (state as Record<string, unknown>)[PRESENCE_FIELDS.user];
  if (typeof user !== 'object' || user === null) return null;
  const { id, name, role, color } = user as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof color !== 'string' || !isRole(role)) return null;
  return { id, name, role, color };
}

/**
 * True when a peer's in-progress gestures may be applied to the mix: its stamped role may
 * edit it. The server already drops other roles' gestures; clients check again so a state
 * that slips through (an older server) still cannot move anyone's faders.
 */
export function mayApplyGestures(state: unknown): boolean {
  const user = readPresenceUser(state);
  return user !== null && can(user.role, 'editMix');
}
