/**
 * WebSocket close codes the sync server uses. 4000-4999 is the private-use range (RFC 6455).
 * The y-websocket@3 client treats 4400-4499 as permanent (it stops reconnecting and emits
 * `closed`) and everything else, including 4500-4599, as transient: so a code's range decides
 * whether the client retries, and is chosen on purpose below.
 */
export const CLOSE_CODES = {
  /** Server shutting down or restarting (RFC 6455 "going away"): reconnect. */
  goingAway: 1001,
  /**
   * Frame above the transport hard cap (2x {@link CLOSE_CODES.messageTooLarge}'s limit): the
   * `ws` library aborts it while it streams in, without buffering, using RFC 6455 "message too big".
   */
  transportMessageTooBig: 1009,
  /** Malformed or truncated frame, unknown message type, or a text frame. Permanent. */
  badMessage: 4400,
  /** The request carries no identity the server accepts for this room. Permanent. */
  unauthorized: 4401,
  /**
   * The upgrade came from a page of another origin (or `Origin: null`): cross-site WebSocket
   * hijacking, or a server whose PUBLIC_URL is not the address in the browser. Permanent.
   */
  forbiddenOrigin: 4403,
  /** The room id in the URL is not a valid room id (see `isValidRoomId`). Permanent. */
  invalidRoomId: 4404,
  /**
   * The user already holds the most sync sockets allowed at once (MAX_SOCKETS_PER_USER; a
   * tab holds two). Permanent: a flood is not retried; a real user closes a tab and reloads.
   */
  tooManyConnections: 4429,
  /** A message above the server's message size limit. Permanent: resending cannot help. */
  messageTooLarge: 4413,
  /** A well-framed document update that Yjs refused to apply. Permanent. */
  updateRejected: 4422,
  /** The room could not be loaded or its log could not be written. Transient: retry later. */
  roomUnavailable: 4500,
  /** The client fell too far behind reading; it reconnects and resyncs. Transient. */
  slowConsumer: 4503,
} as const;

export type CloseCodeName = keyof typeof CLOSE_CODES;
export type CloseCode = (typeof CLOSE_CODES)[CloseCodeName];

/** Human-readable reason sent with each close code (close reasons must stay under 123 bytes). */
export const CLOSE_REASONS: Readonly<Record<CloseCode, string>> = {
  1001: 'server going away',
  1009: 'message exceeds transport limit',
  4400: 'bad message',
  4401: 'unauthorized',
  4403: 'origin not allowed',
  4404: 'invalid room id',
  4413: 'message too large',
  4429: 'too many connections for this user',
  4422: 'update rejected',
  4500: 'room unavailable, retry later',
  4503: 'client too slow, reconnect',
};

/** True when a client should not reconnect after this close code (the y-websocket@3 rule). */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500;
}
