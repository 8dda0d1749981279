import { z } from 'zod';
import { ROLES } from '@mixroom/shared/protocol';
import type { Role } from '@mixroom/shared/protocol';

/** Name of the HttpOnly cookie carrying the signed session. */
export const SESSION_COOKIE = 'mixroom_session';
/** A session (and its cookie) lasts 30 days from the last join. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Rooms remembered per session; the oldest grant is dropped beyond it (cookie size). */
export const SESSION_MAX_GRANTS = 40;

/** The role a session holds in one room, and the invite it came through (null: owner/open room). */
export interface RoomGrant {
  role: Role;
  inviteId: string | null;
  at: number;
}

/**
 * A browser's identity: a random user id, the display name given when joining, and its
 * room grants. Stateless: the whole session is the signed cookie, so a restart or another
 * server node accepts it as is; revocation is checked against the invite on every use.
 */
export interface Session {
  userId: string;
  name: string;
  grants: Record<string, RoomGrant>;
  expiresAt: number;
}

export const sessionSchema = z.object({
  userId: z.string().min(1).max(64),
  name: z.string().min(1).max(60),
  grants: z.record(z.string(), z.object({ role: z.enum(ROLES), inviteId: z.string().nullable(), at: z.number() })),
  expiresAt: z.number(),
}) satisfies z.ZodType<Session>;

/** Adds or replaces the grant for `roomId`, keeping at most {@link SESSION_MAX_GRANTS}. */
export function withGrant(session: Session, roomId: string, grant: RoomGrant): Session {
  const grants = { ...session.grants, [roomId]: grant };
  const ids = Object.keys(grants).sort((a, b) => (grants[a]?.at ?? 0) - (grants[b]?.at ?? 0));
  while (ids.length > SESSION_MAX_GRANTS) delete grants[ids.shift() as string];
  return { ...session, grants };
}
