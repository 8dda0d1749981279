import type { Role, TransactionOrigin } from '@mixroom/shared/protocol';

/**
 * One client connection as a room sees it. The room never touches the socket directly, so
 * rooms can be tested and driven (server writes) without one.
 */
export interface Peer {
  readonly userId: string;
  /** Display name, stamped on this connection's presence. */
  readonly name: string;
  /** Changes when the owner changes it (see `reauthorize`); every frame is judged by the current one. */
  role: Role;
  /** Unique per connection: the origin of every transaction this peer's updates make. */
  readonly origin: TransactionOrigin;
  /**
   * True on a server-written document (a room's `~review` records): every update from this
   * peer is dropped whatever its role, so only the server writes it.
   */
  readonly serverWrittenDoc?: boolean;
  /** Queues a binary frame; must not throw. */
  send(frame: Uint8Array): void;
  /**
   * Queues a presence (awareness) frame, which may be dropped while the socket is behind and
   * replaced by the room's whole presence once it caught up. Absent: `send`.
   */
  sendPresence?(frame: Uint8Array): void;
  /** Closes the connection with a code from `CLOSE_CODES`. */
  close(code: number, reason: string): void;
  /**
   * Applies the identity's current access: closes with 4401 when it lost the room, or adopts
   * a changed role (a read-only one is told so). Absent for peers whose access cannot change.
   */
  reauthorize?(): void;
}
