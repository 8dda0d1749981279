import { hostname } from 'node:os';
import { z } from 'zod';

/** `embedded`: one process, local files (the default of `pnpm start`); `cluster`: shared Redis + PostgreSQL + S3. */
export const MIXROOM_MODES = ['embedded', 'cluster'] as const;
export type MixroomMode = (typeof MIXROOM_MODES)[number];

/**
 * How this process takes part in a deployment, parsed once at boot (see
 * {@link parseClusterSettings}). In `cluster` mode any number of identical nodes (and
 * `pnpm worker` bake workers) share Redis (bake queue, room sync), PostgreSQL (auth) and S3.
 */
export interface ClusterSettings {
  readonly mode: MixroomMode;
  /** `redis://[:password@]host:port[/db]`; required in cluster mode. */
  readonly redisUrl: string | null;
  /** `postgres://user:password@host:port/db`; required in cluster mode (the auth store). */
  readonly databaseUrl: string | null;
  /** This process's name in logs, metrics and leases (default `<hostname>-<pid>`). */
  readonly nodeId: string;
  /** Bakes of one room running at once across all workers. */
  readonly bakeRoomConcurrency: number;
  /** Bakes one `pnpm worker` process runs at once (each fans out to worker threads). */
  readonly bakeConcurrency: number;
  /** A worker that stops renewing its job lock for this long is presumed dead; its bake is retried. */
  readonly bakeLockMs: number;
  /** How often workers look for stalled (dead-worker) bakes. */
  readonly bakeStalledIntervalMs: number;
  /** A bake whose worker died this many times fails instead of being retried again. */
  readonly bakeMaxStalls: number;
  /** On SIGTERM a worker lets its running bake finish for this long, then hands it back to the queue. */
  readonly bakeDrainMs: number;
}

const int = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);
const schema = z.object({
  MIXROOM_MODE: z.enum(MIXROOM_MODES).default('embedded'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
  BAKE_ROOM_CONCURRENCY: int(1, 1),
  BAKE_CONCURRENCY: int(1, 1),
  BAKE_LOCK_MS: int(30_000, 1000),
  BAKE_STALLED_INTERVAL_MS: int(15_000, 500),
  BAKE_MAX_STALLS: int(2, 1),
  BAKE_DRAIN_MS: int(20_000, 0),
});

/** Thrown at boot when the cluster variables are invalid or incomplete. */
export class ClusterSettingsError extends Error {
  override readonly name = 'ClusterSettingsError';
}

export function parseClusterSettings(env: Readonly<Record<string, string | undefined>>, pid: number = process.pid): ClusterSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = schema.safeParse(cleaned);
  if (!r.success) {
    throw new ClusterSettingsError(`Invalid cluster configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = r.data;
  if (e.MIXROOM_MODE === 'cluster') {
    const missing = [!e.REDIS_URL && 'REDIS_URL', !e.DATABASE_URL && 'DATABASE_URL'].filter(Boolean);
    if (missing.length > 0) throw new ClusterSettingsError(`MIXROOM_MODE=cluster needs ${missing.join(' and ')}`);
  }
  return Object.freeze({
    mode: e.MIXROOM_MODE,
    redisUrl: e.REDIS_URL ?? null,
    databaseUrl: e.DATABASE_URL ?? null,
    nodeId: e.NODE_ID ?? `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 48)}-${pid}`,
    bakeRoomConcurrency: e.BAKE_ROOM_CONCURRENCY,
    bakeConcurrency: e.BAKE_CONCURRENCY,
    bakeLockMs: e.BAKE_LOCK_MS,
    bakeStalledIntervalMs: e.BAKE_STALLED_INTERVAL_MS,
    bakeMaxStalls: e.BAKE_MAX_STALLS,
    bakeDrainMs: e.BAKE_DRAIN_MS,
  });
}
