/**
 * Room ids appear in URLs (`/room/:id`, `/sync/:id`) and in server storage keys, so they are
 * restricted to a conservative alphabet: letters, digits, `-` and `_`, 1 to 64 characters.
 */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Branded string: a room id that passed {@link isValidRoomId}. */
export type RoomId = string & { readonly __brand: 'RoomId' };

/** Narrows an untrusted string to a {@link RoomId}. */
export function isValidRoomId(value: unknown): value is RoomId {
  return typeof value === 'string' && ROOM_ID_PATTERN.test(value);
}
