/** Distinct, readable-on-dark colours for people in a room. */
const PALETTE = ['#ff8c5a', '#3ecf8e', '#e6d23a', '#c58cff', '#ff6b9a', '#4fd1e0', '#9bd14f', '#ffb347'];

/** A stable colour for a user id (same person, same colour, on every peer). */
export function userColor(userId: string): string {
  let h = 2166136261;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}
