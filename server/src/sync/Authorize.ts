import type { IncomingMessage } from 'node:http';
import type { Role, RoomId } from '@mixroom/shared/protocol';

/** Who a socket (or request) acts as in a room. */
export interface Identity {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  /**
   * The role this identity holds in the room now, or null when it lost access. The sync
   * server calls it when access changes (see `RoomRegistry.recheckPeers`); absent = fixed.
   * Async when it reads a shared store: the socket's frames wait for the answer.
   */
  readonly recheck?: () => Role | null | Promise<Role | null>;
}

/**
 * Decides who the upgrade request `request` is in `roomId`; `null` refuses the connection
 * (closed with `CLOSE_CODES.unauthorized`). Injected: signed invite links replace the default.
 */
export type Authorize = (request: IncomingMessage, roomId: RoomId) => Promise<Identity | null>;

/**
 * The embedded default until invites exist: everyone who can reach the (loopback) server is
 * the room's owner.
 */
export const authorizeEveryoneAsOwner: Authorize = async () => ({
  userId: 'local',
  name: 'Local user',
  role: 'owner',
});
