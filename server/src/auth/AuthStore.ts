import type { Role } from '@mixroom/shared/protocol';

/** A room created by its owner. Open (demo) rooms have no record. */
export interface RoomRecord {
  roomId: string;
  title: string;
  ownerId: string;
  ownerName: string;
  createdAt: number;
}

/**
 * An invite link's server-side record. The link itself is a signed token naming this id;
 * the record exists so the owner can list and revoke links (a token cannot be recalled).
 */
export interface InviteRecord {
  inviteId: string;
  roomId: string;
  role: Exclude<Role, 'owner'>;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
}

/** Durable rooms and invites. Writes resolve once the change is on stable storage. */
export interface AuthStore {
  getRoom(roomId: string): RoomRecord | null;
  /** Resolves false when the room id is taken. */
  createRoom(room: RoomRecord): Promise<boolean>;
  getInvite(inviteId: string): InviteRecord | null;
  listInvites(roomId: string): InviteRecord[];
  createInvite(invite: InviteRecord): Promise<void>;
  /** Resolves false when there is no such unrevoked invite. */
  revokeInvite(inviteId: string, by: string, at: number): Promise<boolean>;
  close(): Promise<void>;
}
