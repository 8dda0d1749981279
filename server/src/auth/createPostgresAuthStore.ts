import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../log/Logger.ts';
import type { AccessChange, AuthStore, InviteRecord, MemberRecord, RoomRecord, SessionRecord, UserRecord } from './AuthStore.ts';

/** NOTIFY channel: every node LISTENs and rechecks its open sockets. */
export const ACCESS_CHANNEL = 'mixroom_access';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mixroom_rooms (
  room_id text PRIMARY KEY, title text NOT NULL, owner_id text NOT NULL, owner_name text NOT NULL, created_at bigint NOT NULL);
CREATE TABLE IF NOT EXISTS mixroom_invites (
  invite_id text PRIMARY KEY, room_id text NOT NULL, role text NOT NULL, uses text NOT NULL,
  created_by text NOT NULL, created_at bigint NOT NULL, expires_at bigint NOT NULL,
  revoked_at bigint, revoked_by text, used_by text, used_at bigint);
CREATE INDEX IF NOT EXISTS mixroom_invites_by_room ON mixroom_invites (room_id, created_at);
CREATE TABLE IF NOT EXISTS mixroom_users (user_id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE IF NOT EXISTS mixroom_sessions (
  session_id text PRIMARY KEY, token_hash text NOT NULL UNIQUE, user_id text NOT NULL,
  created_at bigint NOT NULL, expires_at bigint NOT NULL);
CREATE INDEX IF NOT EXISTS mixroom_sessions_by_user ON mixroom_sessions (user_id, created_at);
CREATE TABLE IF NOT EXISTS mixroom_members (
  room_id text NOT NULL, user_id text NOT NULL, role text NOT NULL, invite_id text,
  joined_at bigint NOT NULL, updated_at bigint NOT NULL, PRIMARY KEY (room_id, user_id));
`;
/** Serialises schema set-up when several nodes boot at once (CREATE ... IF NOT EXISTS can race). */
const SCHEMA_LOCK = 7_261_923;

export interface PostgresAuthStoreOptions {
  /** `postgres://user:password@host:port/db` */
  readonly url: string;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Connections in the pool (each node; default 10). */
  readonly poolSize?: number;
}

type Row = Record<string, unknown>;
const room = (r: Row): RoomRecord => ({ roomId: s(r.room_id), title: s(r.title), ownerId: s(r.owner_id), ownerName: s(r.owner_name), createdAt: n(r.created_at) });
const invite = (r: Row): InviteRecord => ({
  inviteId: s(r.invite_id),
  roomId: s(r.room_id),
  role: s(r.role) as InviteRecord['role'],
  uses: s(r.uses) as InviteRecord['uses'],
  createdBy: s(r.created_by),
  createdAt: n(r.created_at),
  expiresAt: n(r.expires_at),
  revokedAt: nn(r.revoked_at),
  revokedBy: ns(r.revoked_by),
  usedBy: ns(r.used_by),
  usedAt: nn(r.used_at),
});
const session = (r: Row): SessionRecord => ({
  sessionId: s(r.session_id),
  tokenHash: s(r.token_hash),
  userId: s(r.user_id),
  createdAt: n(r.created_at),
  expiresAt: n(r.expires_at),
  endedAt: null,
});
const member = (r: Row): MemberRecord => ({
  roomId: s(r.room_id),
  userId: s(r.user_id),
  role: s(r.role) as MemberRecord['role'],
  inviteId: ns(r.invite_id),
  joinedAt: n(r.joined_at),
  updatedAt: n(r.updated_at),
});
function s(v: unknown): string {
  return String(v);
}
function n(v: unknown): number {
  return Number(v);
}
function nn(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
function ns(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/**
 * The shared {@link AuthStore} of a cluster: PostgreSQL, read by every node on every request
 * (no cache to go stale). Each write is one transaction, committed (fsynced by PostgreSQL)
 * before it resolves; single-use claims and room ids are decided by the database, so two
 * nodes cannot both win. A write that takes access away sends a NOTIFY in the same
 * transaction, so it reaches every node's LISTEN exactly when it becomes visible; a node
 * whose LISTEN connection dropped treats its reconnection as "anything may have changed".
 */
export async function createPostgresAuthStore(options: PostgresAuthStoreOptions): Promise<AuthStore> {
  const { logger } = options;
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, application_name: 'mixroom' });
  pool.on('error', (error) => logger.warn('auth database connection error', { error: error.message }));
  const storeId = randomBytes(6).toString('hex');
  const listeners = new Set<(change: AccessChange) => void>();
  const deliver = (change: AccessChange): void => {
    for (const listener of [...listeners]) listener(change);
  };

  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await client.query(SCHEMA);
    // Sessions past their expiry are of no use to anyone (each node prunes at boot).
    await client.query('DELETE FROM mixroom_sessions WHERE expires_at <= $1', [(options.now ?? Date.now)()]);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => undefined);
    client.release();
  }

  const q = async (text: string, values: unknown[] = []): Promise<Row[]> => (await pool.query(text, values)).rows as Row[];
  /** NOTIFY inside the writing statement's transaction; our own notifications are delivered locally at once. */
  const notify = (change: AccessChange) => JSON.stringify({ ...change, origin: storeId });

  // LISTEN on a connection of its own, re-opened when it drops.
  let listener: pg.Client | null = null;
  let closed = false;
  let retryMs = 100;
  const scheduleListen = (): void => {
    setTimeout(() => {
      listen().then(
        () => {
          retryMs = 100;
          // Notifications sent while we were away are gone: recheck everything.
          deliver({ kind: 'member-changed', roomId: null, userId: null });
        },
        (error: unknown) => {
          if (closed) return;
          logger.warn('auth database listener reconnect failed', { error: String(error) });
          retryMs = Math.min(retryMs * 2, 5000);
          scheduleListen();
        },
      );
    }, retryMs).unref();
  };
  const listen = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: options.url, application_name: 'mixroom-listen' });
    c.on('notification', (message) => {
      if (message.channel !== ACCESS_CHANNEL || !message.payload) return;
      try {
        const { origin, ...change } = JSON.parse(message.payload) as AccessChange & { origin?: string };
        if (origin !== storeId) deliver(change);
      } catch {
        logger.warn('auth database: unreadable access notification');
      }
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      c.end().catch(() => undefined);
      // Lost while connecting: listen() rejects and its caller retries.
      if (closed || listener !== c) return;
      listener = null;
      logger.warn('auth database listener lost; reconnecting', { error: error?.message });
      scheduleListen();
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    await c.connect();
    await c.query(`LISTEN ${ACCESS_CHANNEL}`);
    if (lost) throw new Error('listener connection lost while subscribing');
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    listener = c;
  };
  await listen();

  return {
    getRoom: async (roomId) => (await q('SELECT * FROM mixroom_rooms WHERE room_id = $1', [roomId])).map(room)[0] ?? null,
    async createRoom(r) {
      const rows = await q(
        'INSERT INTO mixroom_rooms (room_id, title, owner_id, owner_name, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room_id) DO NOTHING RETURNING room_id',
        [r.roomId, r.title, r.ownerId, r.ownerName, r.createdAt],
      );
      return rows.length === 1;
    },
    getInvite: async (inviteId) => (await q('SELECT * FROM mixroom_invites WHERE invite_id = $1', [inviteId])).map(invite)[0] ?? null,
    listInvites: async (roomId) => (await q('SELECT * FROM mixroom_invites WHERE room_id = $1 ORDER BY created_at, invite_id', [roomId])).map(invite),
    async createInvite(i) {
      await q(
        `INSERT INTO mixroom_invites (invite_id, room_id, role, uses, created_by, created_at, expires_at, revoked_at, revoked_by, used_by, used_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL, NULL)`,
        [i.inviteId, i.roomId, i.role, i.uses, i.createdBy, i.createdAt, i.expiresAt],
      );
    },
    async revokeInvite(inviteId, by, at) {
      const rows = await q(
        `WITH r AS (UPDATE mixroom_invites SET revoked_at = $3, revoked_by = $2 WHERE invite_id = $1 AND revoked_at IS NULL RETURNING room_id)
         SELECT room_id, pg_notify($4, json_build_object('kind', 'invite-revoked', 'roomId', room_id, 'userId', NULL, 'origin', $5::text)::text) FROM r`,
        [inviteId, by, at, ACCESS_CHANNEL, storeId],
      );
      if (rows.length === 0) return false;
      deliver({ kind: 'invite-revoked', roomId: s(rows[0]!.room_id), userId: null });
      return true;
    },
    async claimInvite(inviteId, userId, at) {
      const rows = await q(
        'UPDATE mixroom_invites SET used_by = $2, used_at = COALESCE(used_at, $3) WHERE invite_id = $1 AND (used_by IS NULL OR used_by = $2) RETURNING used_by',
        [inviteId, userId, at],
      );
      return rows.length === 1;
    },
    getUser: async (userId) => {
      const r = (await q('SELECT user_id, name FROM mixroom_users WHERE user_id = $1', [userId]))[0];
      return r ? { userId: s(r.user_id), name: s(r.name) } : null;
    },
    async putUser(user: UserRecord) {
      await q(
        'INSERT INTO mixroom_users (user_id, name) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET name = excluded.name WHERE mixroom_users.name <> excluded.name',
        [user.userId, user.name],
      );
    },
    findSession: async (tokenHash, at) =>
      (await q('SELECT * FROM mixroom_sessions WHERE token_hash = $1 AND expires_at > $2', [tokenHash, at])).map(session)[0] ?? null,
    async putSession(x) {
      await q(
        `INSERT INTO mixroom_sessions (session_id, token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id) DO UPDATE SET token_hash = excluded.token_hash, user_id = excluded.user_id, created_at = excluded.created_at, expires_at = excluded.expires_at`,
        [x.sessionId, x.tokenHash, x.userId, x.createdAt, x.expiresAt],
      );
    },
    async endSession(sessionId) {
      // An ended session is of no use to keep: its row goes (the file store drops it at replay).
      const rows = await q(
        `WITH d AS (DELETE FROM mixroom_sessions WHERE session_id = $1 RETURNING user_id)
         SELECT user_id, pg_notify($2, json_build_object('kind', 'session-ended', 'roomId', NULL, 'userId', user_id, 'origin', $3::text)::text) FROM d`,
        [sessionId, ACCESS_CHANNEL, storeId],
      );
      if (rows.length === 0) return false;
      deliver({ kind: 'session-ended', roomId: null, userId: s(rows[0]!.user_id) });
      return true;
    },
    listSessions: async (userId, at) =>
      (await q('SELECT * FROM mixroom_sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at, session_id', [userId, at])).map(session),
    getMember: async (roomId, userId) => (await q('SELECT * FROM mixroom_members WHERE room_id = $1 AND user_id = $2', [roomId, userId])).map(member)[0] ?? null,
    listMembers: async (roomId) => (await q('SELECT * FROM mixroom_members WHERE room_id = $1 ORDER BY joined_at, user_id', [roomId])).map(member),
    async putMember(m) {
      const c = await pool.connect();
      let changed = false;
      try {
        await c.query('BEGIN');
        const previous = (await c.query('SELECT role, invite_id FROM mixroom_members WHERE room_id = $1 AND user_id = $2 FOR UPDATE', [m.roomId, m.userId])).rows[0] as Row | undefined;
        await c.query(
          `INSERT INTO mixroom_members (room_id, user_id, role, invite_id, joined_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (room_id, user_id) DO UPDATE SET role = excluded.role, invite_id = excluded.invite_id, joined_at = excluded.joined_at, updated_at = excluded.updated_at`,
          [m.roomId, m.userId, m.role, m.inviteId, m.joinedAt, m.updatedAt],
        );
        changed = previous !== undefined && (previous.role !== m.role || ns(previous.invite_id) !== m.inviteId);
        if (changed) await c.query('SELECT pg_notify($1, $2)', [ACCESS_CHANNEL, notify({ kind: 'member-changed', roomId: m.roomId, userId: m.userId })]);
        await c.query('COMMIT');
      } catch (error) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        c.release();
      }
      if (changed) deliver({ kind: 'member-changed', roomId: m.roomId, userId: m.userId });
    },
    async removeMember(roomId, userId) {
      const rows = await q(
        `WITH d AS (DELETE FROM mixroom_members WHERE room_id = $1 AND user_id = $2 RETURNING room_id, user_id)
         SELECT pg_notify($3, json_build_object('kind', 'member-removed', 'roomId', room_id, 'userId', user_id, 'origin', $4::text)::text) FROM d`,
        [roomId, userId, ACCESS_CHANNEL, storeId],
      );
      if (rows.length === 0) return false;
      deliver({ kind: 'member-removed', roomId, userId });
      return true;
    },
    async ping() {
      const l = listener;
      if (l === null) throw new Error('the change listener is not connected');
      // The listener too: a dead LISTEN connection would silently drop other nodes' revocations.
      await Promise.all([q('SELECT 1'), l.query('SELECT 1')]);
    },
    onAccessChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {
      closed = true;
      const c = listener;
      listener = null;
      await c?.end().catch(() => undefined);
      await pool.end();
    },
  };
}
