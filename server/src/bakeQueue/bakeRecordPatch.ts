import type { BakeRecord } from '@mixroom/shared/review';
import { REFERENCE_RENDER_FORMAT } from '@mixroom/shared/review';
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
      return { status: 'queued', progress: 0, startedAt: null, finishedAt: null, error: null };
    case 'active':
      return { status: 'baking', progress: fractionOf(job.progress), startedAt: job.processedOn ?? null, finishedAt: null, error: null };
    case 'completed': {
      const result = job.returnvalue;
      if (!result?.renders[REFERENCE_RENDER_FORMAT]) {
        return { status: 'failed', finishedAt: job.finishedOn ?? null, error: 'The bake produced no reference WAV 24-bit render.' };
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
      };
    }
    case 'failed': {
      const cancelled = job.failedReason === BAKE_CANCELLED_REASON;
      return { status: cancelled ? 'cancelled' : 'failed', finishedAt: job.finishedOn ?? null, error: cancelled ? 'Cancelled' : readableFailure(job.failedReason) };
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

function fractionOf(progress: unknown): number {
  const value = typeof progress === 'number' ? progress : typeof progress === 'object' && progress !== null ? (progress as { fraction?: unknown }).fraction : 0;
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(0.999, Math.max(0, value)) : 0;
}

function readableFailure(reason: string | undefined): string {
  if (!reason) return 'The bake failed.';
  // BullMQ's words when a job's workers kept dying (crash loop, out of memory).
  if (/stalled more than allowable limit/.test(reason)) return 'The bake stopped with its worker several times (crash or out of memory); try again, or ask the server admin.';
  return reason;
}
