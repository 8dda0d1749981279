import type { MixState } from '@mixroom/shared/model';

/** The BullMQ queue every node adds bakes to and every `pnpm worker` takes them from. */
export const BAKE_QUEUE_NAME = 'mixroom-bakes';
/** Key prefix of everything the bake queue keeps in Redis besides BullMQ's own keys. */
export const BAKE_KEY_PREFIX = 'mixroom:bakes';
/** Pub/sub channel naming a job to abort on whichever worker runs it. */
export const BAKE_CANCEL_CHANNEL = `${BAKE_KEY_PREFIX}:cancel`;
/** A job failed with this reason was cancelled by a member, not broken. */
export const BAKE_CANCELLED_REASON = 'Cancelled';

/** What a bake job carries: enough to bake without reading the room. */
export interface BakeJobData {
  readonly roomId: string;
  readonly versionId: string;
  readonly state: MixState;
}

/**
 * One job per version, named after it: adding a version that is already queued is a no-op
 * on every node, and any node finds a version's job without an index. Room and version ids
 * are `[A-Za-z0-9_-]`, so the dot is unambiguous (BullMQ refuses `:` in ids).
 */
export function bakeJobId(roomId: string, versionId: string): string {
  return `${roomId}.${versionId}`;
}

export function parseBakeJobId(jobId: string): { roomId: string; versionId: string } | null {
  const dot = jobId.indexOf('.');
  if (dot <= 0 || dot === jobId.length - 1) return null;
  return { roomId: jobId.slice(0, dot), versionId: jobId.slice(dot + 1) };
}

/** Set (with an expiry) when a bake is cancelled: a worker checks it before starting. */
export function bakeCancelKey(jobId: string): string {
  return `${BAKE_KEY_PREFIX}:cancelled:${jobId}`;
}
