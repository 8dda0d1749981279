import { defaultSession, sessionToDocShape } from './SessionRecord.ts';
import { STRIP_KEYS, type KeyShape } from './STRIP_KEYS.ts';

/**
 * The keys the mix root map may hold, down to every strip (STRIP_KEYS) and the session's
 * fields (from its stored form, so a field added to SessionRecord is known here at once).
 * Anything else a client writes into the root or the session is deleted by repairCaps.
 */
export const MIX_KEYS: KeyShape = {
  session: Object.fromEntries(Object.keys(sessionToDocShape(defaultSession('t', 48_000))).map((key) => [key, null])),
  tracks: { '*': STRIP_KEYS.track },
  buses: { '*': STRIP_KEYS.bus },
  master: STRIP_KEYS.master,
};

