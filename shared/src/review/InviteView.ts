import type { Role } from '../protocol/Role.ts';
import type { InviteUses } from './ReviewRequests.ts';

/** An invite link as its room's owner sees it (`GET /api/rooms/:room/invites`). */
export interface InviteView {
  inviteId: string;
  role: Exclude<Role, 'owner'>;
  uses: InviteUses;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** Who used up a single-use link. */
  usedBy: string | null;
  status: 'active' | 'used' | 'expired' | 'revoked';
}
