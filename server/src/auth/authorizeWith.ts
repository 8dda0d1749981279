import type { Authorize } from '../sync/Authorize.ts';
import type { Auth } from './createAuth.ts';

/**
 * The sync server's `authorize` backed by sessions and invites: a socket to `/sync/<room>`
 * (or `<room>~review`) gets the role its session cookie holds in that room, or is refused
 * with 4401 when it holds none.
 */
export function authorizeWith(auth: Auth): Authorize {
  return async (request, roomId) => auth.authorize(request, roomId);
}
