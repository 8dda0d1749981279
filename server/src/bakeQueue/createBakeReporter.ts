import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { reviewRoots } from '@mixroom/shared/review';
import type { Logger } from '../log/Logger.ts';
import type { BakeResult } from '../review/BakeVersion.ts';
import type { ReviewDocs } from '../review/ReviewDocs.ts';
import { BAKE_KEY_PREFIX, parseBakeJobId, type BakeJobData } from './BakeJobData.ts';
import { bakeRecordPatch, isFinished, recordHas } from './bakeRecordPatch.ts';

export interface BakeReporterOptions {
  readonly queue: Queue<BakeJobData, BakeResult>;
  /** Commands (leases, marks); not a blocking connection. */
  readonly redis: Redis;
  readonly docs: ReviewDocs;
  readonly nodeId: string;
  readonly logger: Logger;
  /** A writer that stops renewing for this long hands its jobs to another node. */
  readonly leaseMs?: number;
  /** How often every node looks for jobs nobody is reporting (a node died). */
  readonly sweepMs?: number;
}

export interface BakeReporter {
  /** Brings the job's room record up to the job's state in Redis, if this node is (or becomes) its writer. */
  sync(jobId: string): void;
  /** Resolves when this node has no sync running or pending. */
  settled(): Promise<void>;
  /** Stops sweeping and hands this node's leases back at once. */
  close(): Promise<void>;
}

/** Takes the lease when free, renews it when ours; 0 when another node holds it. */
const TAKE_LEASE = `
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`;
const DROP_LEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const SWEPT_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

/**
 * Writes bakes' progress and results into their rooms' review documents, on the API nodes.
 * The job in Redis is the truth; the record is its projection, rewritten from the job's
 * latest state on every event, so a lost or repeated event changes nothing. One writer per
 * job (a lease in Redis): two nodes writing one record at once would be concurrent Yjs map
 * sets, and either could win, a stale `baking` over `done` included. When the writer dies
 * its lease expires and the next node's sweep takes the job over from its current state.
 */
export function createBakeReporter(options: BakeReporterOptions): BakeReporter {
  const { queue, redis, docs, nodeId, logger } = options;
  const leaseMs = options.leaseMs ?? 15_000;
  const sweepMs = options.sweepMs ?? 5_000;
  const leaseKey = (jobId: string) => `${BAKE_KEY_PREFIX}:writer:${jobId}`;
  // A finished job whose record is written is marked, so sweeps skip it until BullMQ drops it.
  const reportedKey = (jobId: string) => `${BAKE_KEY_PREFIX}:reported:${jobId}`;
  const held = new Set<string>();
  const inFlight = new Map<string, { done: Promise<void>; again: boolean }>();
  let closed = false;

  const takeLease = async (jobId: string): Promise<boolean> => (await redis.eval(TAKE_LEASE, 1, leaseKey(jobId), nodeId, leaseMs)) === 1;
  const dropLease = async (jobId: string): Promise<void> => {
    held.delete(jobId);
    await redis.eval(DROP_LEASE, 1, leaseKey(jobId), nodeId);
  };

  const report = async (jobId: string): Promise<void> => {
    const ids = parseBakeJobId(jobId);
    if (!ids || closed || !(await takeLease(jobId))) return;
    held.add(jobId);
    const job = await queue.getJob(jobId);
    if (!job) return dropLease(jobId);
    const state = await job.getState();
    const patch = bakeRecordPatch(job, state);
    if (patch) {
      await docs.withReview(ids.roomId, (doc, origin) => {
        const { bakes } = reviewRoots(doc);
        const current = bakes.get(ids.versionId);
        // A finished record only changes through a new bake (rebake), never back to a running one.
        if (!current || recordHas(current, patch) || (current.status === 'done' && patch.status !== 'done')) return;
        doc.transact(() => bakes.set(ids.versionId, { ...current, ...patch }), origin);
      });
    }
    if (isFinished(state)) {
      await redis.set(reportedKey(jobId), String(job.timestamp), 'PX', 48 * 3600_000);
      await dropLease(jobId);
      logger.info('bake reported', { roomId: ids.roomId, versionId: ids.versionId, status: patch?.status });
    }
  };

  const sync = (jobId: string): void => {
    const running = inFlight.get(jobId);
    if (running) {
      running.again = true;
      return;
    }
    const entry = { done: Promise.resolve(), again: false };
    entry.done = (async () => {
      do {
        entry.again = false;
        try {
          await report(jobId);
        } catch (error) {
          logger.warn('bake report failed', { jobId, error: String(error) });
        }
      } while (entry.again && !closed);
      inFlight.delete(jobId);
    })();
    inFlight.set(jobId, entry);
  };

  /** Jobs whose writer is gone (or that nobody picked up): the node that sees them first takes them. */
  const sweep = async (): Promise<void> => {
    const ids = await queue.getRanges([...SWEPT_STATES]);
    if (ids.length === 0) return;
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.exists(leaseKey(id)).get(reportedKey(id));
    const replies = (await pipeline.exec()) ?? [];
    const finished = new Set(await queue.getRanges(['completed', 'failed']));
    for (const [i, id] of ids.entries()) {
      const leased = replies[2 * i]?.[1] === 1;
      const reported = replies[2 * i + 1]?.[1] !== null;
      if (held.has(id) || (!leased && !(finished.has(id) && reported))) sync(id);
    }
  };
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping || closed) return;
    sweeping = true;
    sweep()
      .catch((error: unknown) => logger.warn('bake sweep failed', { error: String(error) }))
      .finally(() => (sweeping = false));
  }, sweepMs);
  timer.unref();

  return {
    sync,
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()].map((e) => e.done));
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.all([...inFlight.values()].map((e) => e.done));
      await Promise.all([...held].map((id) => dropLease(id).catch(() => undefined)));
    },
  };
}
