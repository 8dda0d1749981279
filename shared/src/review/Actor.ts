import { z } from 'zod';
import { ROLES } from '../protocol/Role.ts';

/** Longest display name accepted when joining a room. */
export const DISPLAY_NAME_MAX = 60;

/** A display name: trimmed, 1..60 characters, no control characters. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a display name')
  .max(DISPLAY_NAME_MAX, `Display names are at most ${DISPLAY_NAME_MAX} characters`)
  .regex(/^[^\p{Cc}]*$/u, 'Display names cannot contain control characters');

/**
 * Who did something, as the server saw it on an authenticated request: the session's user
 * id and display name and the role they held in the room at that moment. Records carry it
 * by value so history stays true after a name or role changes.
 */
export const actorSchema = z.object({
  userId: z.string().min(1).max(64),
  name: z.string().min(1).max(DISPLAY_NAME_MAX),
  role: z.enum(ROLES),
});
export type Actor = z.infer<typeof actorSchema>;
