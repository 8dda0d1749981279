/**
 * Top-level message types on the sync socket: the y-websocket wire protocol, unchanged, so the
 * stock `y-websocket@3` WebsocketProvider talks to our server. Every binary frame is
 * `varUint(messageType)` followed by the type's payload:
 *
 * - `sync` (0): a y-protocols sync message (step 1 = state vector, step 2 = missing updates,
 *   update = incremental update). On connect both sides send step 1 and answer the other's
 *   step 1 with step 2; afterwards only `update` messages flow.
 * - `awareness` (1): `varUint8Array(awareness update)`, presence only, never persisted.
 * - `auth` (2): y-protocols auth message. The server uses "permission denied" to tell a
 *   read-only connection that its document updates are dropped (see `ReadOnlyNotice`).
 * - `queryAwareness` (3): asks the peer to send all awareness states it knows.
 * - `heartbeat` (4, ours): an empty message the client sends every {@link HEARTBEAT_INTERVAL_MS}
 *   and the server echoes at once. The client calls itself offline when nothing arrived for
 *   {@link HEARTBEAT_OFFLINE_MS}; the server drops a socket that sent heartbeats and then went
 *   silent for {@link HEARTBEAT_SILENCE_MS}, so peers see the person "away" within seconds
 *   instead of after the TCP ping (30 s or more). Stock y-websocket clients never send it.
 *
 * Any other type closes the connection with `CLOSE_CODES.badMessage`.
 */
export const MESSAGE_TYPES = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  heartbeat: 4,
} as const;

/** How often a client sends a heartbeat on the sync socket. */
export const HEARTBEAT_INTERVAL_MS = 1000;
/** Nothing heard from the server for this long: the client says it is offline. */
export const HEARTBEAT_OFFLINE_MS = 3000;
/** A heartbeating socket silent for this long is dropped by the server (its presence goes). */
export const HEARTBEAT_SILENCE_MS = 4000;

export type MessageTypeName = keyof typeof MESSAGE_TYPES;
export type MessageType = (typeof MESSAGE_TYPES)[MessageTypeName];
