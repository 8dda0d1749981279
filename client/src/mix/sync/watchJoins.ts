import type { Awareness } from 'y-protocols/awareness';
import { readPresenceUser, type PresenceUser } from '@mixroom/shared/protocol';

/**
 * Calls `onJoin` when someone comes into the room: a user id (the server's) that was not
 * present a moment ago. Whoever is present when it starts is not announced; someone coming
 * back after dropping out is (`returning` true). A second tab of someone present is not a
 * join. Returns the disposer.
 */
export function watchJoins(awareness: Awareness, onJoin: (user: PresenceUser, returning: boolean) => void): () => void {
  const present = (): Map<string, PresenceUser> => {
    const users = new Map<string, PresenceUser>();
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const user = readPresenceUser(state);
      if (user) users.set(user.id, user);
    }
    return users;
  };
  let here = present();
  const seen = new Set(here.keys());
  const onChange = (): void => {
    const now = present();
    for (const [id, user] of now) {
      if (here.has(id)) continue;
      onJoin(user, seen.has(id));
      seen.add(id);
    }
    here = now;
  };
  awareness.on('change', onChange);
  return () => awareness.off('change', onChange);
}
