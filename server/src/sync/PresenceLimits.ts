/** Bounds on what one socket may put into a room's presence (awareness). */
export interface PresenceLimits {
  /** Largest JSON of one presence state, bytes; a bigger one closes the socket with 4413. */
  readonly maxStateBytes: number;
  /** Awareness client ids one socket may publish (a y-websocket client uses one). */
  readonly maxClientIdsPerSocket: number;
  /**
   * States in one awareness frame from a client. Not `maxClientIdsPerSocket`: the stock
   * y-websocket client echoes every state it applies, so a joiner of a room of N people sends
   * N states back in one frame (they name other users' ids and are dropped, not closed on).
   */
  readonly maxEntriesPerFrame: number;
  /** Sustained presence updates per second and socket; faster ones are coalesced. */
  readonly updatesPerSecond: number;
  /** Updates a socket may send back to back before the rate applies. */
  readonly burst: number;
}

/**
 * The largest real state (a 60-character name, a looping playhead, a touched EQ band and a
 * send gesture between two long ids) is about 450 bytes of JSON (see RoomPresence.test), so
 * 4 KiB leaves room to grow while one socket can add at most 16 KiB to a room. A drag
 * publishes at display rate (~60/s); the burst absorbs an EQ handle's two fields and a
 * playhead change landing in the same frame.
 */
export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = Object.freeze({
  maxStateBytes: 4096,
  maxClientIdsPerSocket: 4,
  maxEntriesPerFrame: 256,
  updatesPerSecond: 60,
  burst: 30,
});
