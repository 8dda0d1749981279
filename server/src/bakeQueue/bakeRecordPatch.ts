import type { BakeRecord } from '@mixroom/shared/review';
import { BAKE_PHASES, REFERENCE_RENDER_FORMAT, RENDER_FORMATS } from '@mixroom/shared/review';
import { z } from 'zod';
import type { JobState } from 'bullmq';
import type { BakeResult } from '../review/BakeVersion.ts';
import { BAKE_CANCELLED_REASON } from './BakeJobData.ts';

/** What the reporter needs of a BullMQ job (a `Job` has all of it). */
export interface BakeJobView {
  readonly progress: unknown;
  readonly processedOn?: number | undefined;
  readonly finishedOn?: number | undefined;
  readonly returnvalue: BakeResult | null | undefined;
  readonly failedReason: string | undefined;
}

/**
 * The review record's fields as a job's state in Redis says they are: the queue holds the
 * truth, the room's record is its projection. A version is `done` only from a completed
 * job's return value, which exists only once every file was stored: no half result.
 */
export function bakeRecordPatch(job: BakeJobView, state: JobState | 'unknown'): Partial<BakeRecord> | null {
  switch (state) {
    case 'waiting':
    case 'delayed':
    case 'prioritized':
    case 'waiting-children':
      // Also a bake whose worker died, back in line for another one.
      return { status: 'queued', progress: 0, startedAt: null, finishedAt: null, error: null, ...NOT_BAKING };
    case 'active':
      return { status: 'baking', startedAt: job.processedOn ?? null, finishedAt: null, error: null, ...progressOf(job.progress) };
    case 'completed': {
      const result = job.returnvalue;
      if (!result?.renders[REFERENCE_RENDER_FORMAT]) {
        return { status: 'failed', finishedAt: job.finishedOn ?? null, error: 'The bake produced no reference WAV 24-bit render.', ...NOT_BAKING };
      }
      return {
        status: 'done',
        progress: 1,
        finishedAt: job.finishedOn ?? null,
        error: null,
        loudness: result.loudness,
        durationSec: result.durationSec,
        renders: result.renders,
        formats: result.formats,
        ceilingDb: result.ceilingDb,
        ...NOT_BAKING,
      };
    }
    case 'failed': {
      const cancelled = job.failedReason === BAKE_CANCELLED_REASON;
      return { status: cancelled ? 'cancelled' : 'failed', finishedAt: job.finishedOn ?? null, error: cancelled ? 'Cancelled' : readableFailure(job.failedReason), ...NOT_BAKING };
    }
    default:
      return null;
  }
}

/** True when every field of `patch` already has that value in `record`. */
export function recordHas(record: BakeRecord, patch: Partial<BakeRecord>): boolean {
  return Object.entries(patch).every(([k, v]) => JSON.stringify(record[k as keyof BakeRecord]) === JSON.stringify(v));
}

export const isFinished = (state: JobState | 'unknown'): boolean => state === 'completed' || state === 'failed';

const NOT_BAKING = { phase: null, etaSec: null, pending: [], mp3Pass: null } satisfies Partial<BakeRecord>;

/** The worker's last `BakeJobProgress` (JSON in Redis), checked again: it crossed a process boundary. */
function progressOf(progress: unknown): Partial<BakeRecord> {
  const parsed = jobProgressSchema.safeParse(progress);
  if (!parsed.success) return { progress: 0, phase: 'starting', etaSec: null, pending: [], mp3Pass: null };
  const p = parsed.data;
  return { progress: Math.min(0.999, Math.max(0, p.fraction)), phase: p.phase, etaSec: p.etaSec, pending: p.pending, mp3Pass: p.mp3Pass };
}
const jobProgressSchema = z.object({
  fraction: z.number().finite(),
  phase: z.enum(BAKE_PHASES),
  etaSec: z.number().min(0).nullable(),
  pending: z.array(z.enum(RENDER_FORMATS)),
  mp3Pass: z.number().int().min(1).nullable(),
});

function readableFailure(reason: string | undefined): string {
  if (!reason) return 'The bake failed.';
  // BullMQ's words when a job's workers kept dying (crash loop, out of memory).
  if (/stalled more than allowable limit/.test(reason)) return 'The bake stopped with its worker several times (crash or out of memory); try again, or ask the server admin.';
  return reason;
}
