import { z } from 'zod';
import { ROLES } from '@mixroom/shared/protocol';

/** Name of the HttpOnly cookie carrying the session token. */
export const SESSION_COOKIE = 'mixroom_session';
/** A session (and its cookie) lasts 30 days from its last refresh. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** A session used with less than this left is extended (at most one write a day per session). */
export const SESSION_REFRESH_BELOW_MS = SESSION_TTL_MS - 24 * 3600 * 1000;

/**
 * A signed-in browser, resolved by the server from the cookie's random token (see
 * `SessionRecord`). The cookie says nothing else: roles live in the auth store.
 */
export interface Session {
  sessionId: string;
  userId: string;
  name: string;
  createdAt: number;
  expiresAt: number;
  /** The cookie value this request carried (never stored, only its hash). */
  token: string;
}

/**
 * The cookie of releases before server-side sessions: the whole session, signed, with one
 * grant per room. Read once to move its user and still-valid grants into the store.
 */
export const legacySessionSchema = z.object({
  userId: z.string().min(1).max(64),
  name: z.string().min(1).max(60),
  grants: z.record(z.string(), z.object({ role: z.enum(ROLES), inviteId: z.string().nullable(), at: z.number() })),
  expiresAt: z.number(),
});
export type LegacySession = z.infer<typeof legacySessionSchema>;
