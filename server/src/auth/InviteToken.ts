import { z } from 'zod';
import { ROLES } from '@mixroom/shared/protocol';

/**
 * What an invite link carries, signed: which invite record it is, for which room and role,
 * until when. The role and expiry inside the token are authoritative for that link (a
 * forged change breaks the signature); the record adds revocation.
 */
export const inviteTokenSchema = z.object({
  inviteId: z.string().min(1).max(64),
  roomId: z.string().min(1).max(64),
  role: z.enum(ROLES).exclude(['owner']),
  expiresAt: z.number(),
});
export type InviteToken = z.infer<typeof inviteTokenSchema>;

/** Why an invite link is refused, with the words shown to the person who opened it. */
export type InviteRefusal =
  | { reason: 'invalid'; message: string }
  | { reason: 'expired'; message: string; expiresAt: number }
  | { reason: 'revoked'; message: string; revokedAt: number }
  | { reason: 'used'; message: string };

export type InviteCheck = { ok: true; invite: InviteToken; roomTitle: string } | ({ ok: false } & InviteRefusal);
