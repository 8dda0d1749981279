import { z } from 'zod';

/**
 * How the sync side takes part in a cluster (`MIXROOM_MODE=cluster`; the mode, `REDIS_URL` and
 * `NODE_ID` are the node's `ClusterSettings`), parsed once at boot. The embedded default
 * (`pnpm start`) ignores all of it.
 */
export interface SyncClusterSettings {
  /** Prefix of every Redis key and channel, so several installs can share one Redis. */
  readonly redisPrefix: string;
  /**
   * `aof-always` (default): the node refuses to start unless Redis runs with `appendonly yes`
   * and `appendfsync always`, so an update is on Redis's disk before any node relays it (the
   * single process's promise). `none`: Redis may lose what it holds since its last save;
   * nodes write back the rooms they have open, and what is lost is bounded (see README).
   */
  readonly durability: 'aof-always' | 'none';
  /** A room with unsaved updates is compacted into an S3 snapshot this long after the first. */
  readonly compactAfterMs: number;
  /**
   * Stream entries younger than this are never trimmed, so a node that read a room's stream
   * and then its snapshot never finds a gap between them (the y-redis rule).
   */
  readonly streamMinLifetimeMs: number;
  /** Whether this node runs the compactor loop (every node does by default; see RoomCompactor). */
  readonly compactor: boolean;
}

const int = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);
const schema = z.object({
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/).default('mixroom'),
  SYNC_DURABILITY: z.enum(['aof-always', 'none']).default('aof-always'),
  SYNC_COMPACT_AFTER_MS: int(30_000, 100),
  SYNC_STREAM_MIN_LIFETIME_MS: int(60_000, 0),
  SYNC_COMPACTOR: z.enum(['on', 'off']).default('on'),
});

/** Thrown at boot when the variables are invalid or incomplete; lists every problem. */
export class SyncClusterSettingsError extends Error {
  override readonly name = 'SyncClusterSettingsError';
}

export function parseSyncClusterSettings(env: Readonly<Record<string, string | undefined>>): SyncClusterSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = schema.safeParse(cleaned);
  if (!r.success) {
    throw new SyncClusterSettingsError(`Invalid cluster configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = r.data;
  return Object.freeze({
    redisPrefix: e.REDIS_PREFIX,
    durability: e.SYNC_DURABILITY,
    compactAfterMs: e.SYNC_COMPACT_AFTER_MS,
    streamMinLifetimeMs: e.SYNC_STREAM_MIN_LIFETIME_MS,
    compactor: e.SYNC_COMPACTOR === 'on',
  });
}
