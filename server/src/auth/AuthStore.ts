import type { Role } from '@mixroom/shared/protocol';
import type { InviteUses } from '@mixroom/shared/review';

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
export type { InviteUses };

export interface InviteRecord {
  inviteId: string;
  roomId: string;
  role: Exclude<Role, 'owner'>;
  /** `single`: the first person to join consumes it (they may reopen it); `multi`: anyone with the link. */
  uses: InviteUses;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
  /** Who consumed a single-use link, and when. */
  usedBy: string | null;
  usedAt: number | null;
}

/** A person as the server knows them: a random id and the display name they gave last. */
export interface UserRecord {
  userId: string;
  name: string;
}

/**
 * One signed-in browser. The cookie holds a random token; the store keeps only its SHA-256
 * (`tokenHash`), so a copy of the auth log does not sign anyone in. `sessionId` is a separate
 * public id for listing and ending sessions.
 */
export interface SessionRecord {
  sessionId: string;
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  endedAt: number | null;
}

/**
 * A user's role in a room they joined (owners are the room record's `ownerId`). Joined through
 * an invite, it lasts while that invite is not revoked; `inviteId` null = an open room.
 */
export interface MemberRecord {
  roomId: string;
  userId: string;
  role: Exclude<Role, 'owner'>;
  inviteId: string | null;
  joinedAt: number;
  updatedAt: number;
}

/**
 * What changed someone's access: a link revoked, a role changed or taken away, a session
 * ended. Every node rechecks its open sockets on it (`RoomRegistry.recheckPeers`).
 */
export interface AccessChange {
  readonly kind: 'invite-revoked' | 'member-changed' | 'member-removed' | 'session-ended';
  readonly roomId: string | null;
  readonly userId: string | null;
}

/**
 * Durable rooms, invites, users, sessions and memberships: everything that says who may do
 * what lives here, never in a cookie. Two implementations behind this one interface: the
 * file store (`createFileAuthStore`, the embedded default: one process, everything in
 * memory) and the shared store every cluster node reads (`createPostgresAuthStore`). Reads
 * resolve with the current state; writes resolve once the change is on stable storage, and
 * those that can take access away are announced (see {@link onAccessChange}) on every node.
 */
export interface AuthStore {
  getRoom(roomId: string): Promise<RoomRecord | null>;
  /** Resolves false when the room id is taken. */
  createRoom(room: RoomRecord): Promise<boolean>;
  getInvite(inviteId: string): Promise<InviteRecord | null>;
  listInvites(roomId: string): Promise<InviteRecord[]>;
  createInvite(invite: InviteRecord): Promise<void>;
  /** Resolves false when there is no such unrevoked invite. */
  revokeInvite(inviteId: string, by: string, at: number): Promise<boolean>;
  /**
   * Marks a single-use invite consumed by `userId`, atomically: two people racing for one
   * link (on one node or two) cannot both win. Resolves false when someone else has it.
   */
  claimInvite(inviteId: string, userId: string, at: number): Promise<boolean>;

  getUser(userId: string): Promise<UserRecord | null>;
  putUser(user: UserRecord): Promise<void>;

  /** The live (not ended, not expired at `now`) session with this token hash. */
  findSession(tokenHash: string, now: number): Promise<SessionRecord | null>;
  /** Creates or replaces (e.g. a later expiry) a session. */
  putSession(session: SessionRecord): Promise<void>;
  endSession(sessionId: string, at: number): Promise<boolean>;
  /** A user's live sessions, oldest first. */
  listSessions(userId: string, now: number): Promise<SessionRecord[]>;

  getMember(roomId: string, userId: string): Promise<MemberRecord | null>;
  listMembers(roomId: string): Promise<MemberRecord[]>;
  /** Creates or replaces a membership; replacing another role or link is an access change. */
  putMember(member: MemberRecord): Promise<void>;
  removeMember(roomId: string, userId: string, by: string, at: number): Promise<boolean>;

  /**
   * Calls `listener` after every write that may take access away, made by this process or,
   * for a shared store, by any node. Returns the disposer.
   */
  onAccessChange(listener: (change: AccessChange) => void): () => void;
  /**
   * Readiness: resolves once the store answered a round trip, for a shared store over its pool
   * and over its change listener (while that is down, revocations from other nodes would not
   * reach this node's sockets, so it must not take new ones); rejects otherwise.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}
