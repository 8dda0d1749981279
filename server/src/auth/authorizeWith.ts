import type { Authorize } from '../sync/Authorize.ts';
import type { Auth } from './createAuth.ts';

/**
 * The sync server's `authorize` backed by sessions and invites: a socket to `/sync/<room>`
 * (or `<room>~review`) gets the role its session cookie holds in that room, or is refused
 * with 4401 when it holds none. Its `recheck` lets the sync server apply a revocation or role
 * change to the open socket at once.
 */
export function authorizeWith(auth: Auth): Authorize {
  return async (request, roomId) => auth.authorizeSocket(request, roomId);
}
