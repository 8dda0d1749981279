import { parseClusterSettings } from './cluster/ClusterSettings.ts';
import { startBakeWorker, type RunningBakeWorker } from './bakeQueue/startBakeWorker.ts';
import { parseConfig } from './config/Config.ts';
import type { Logger } from './log/Logger.ts';
import { countS3Errors } from './metrics/countS3Errors.ts';
import { createMetrics, type Metrics } from './metrics/Metrics.ts';
import { createReadiness, READINESS_MAX_AGE_MS, READINESS_TIMEOUT_MS } from './metrics/createReadiness.ts';
import { startOpsServer } from './metrics/startOpsServer.ts';
import { createS3StemSource } from './render/input/createS3StemSource.ts';
import { createRenderBaker } from './review/createRenderBaker.ts';
import { BakeThreads } from './render/workers/BakeThreads.ts';
import { createS3Client } from './storage/createS3Client.ts';
import { parseS3Settings } from './storage/S3Settings.ts';
import { stemPlaybackKey } from './stems/stemKeys.ts';

export interface BakeWorkersOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** Worker threads per bake (default: the render module's choice). */
  readonly bakeThreads?: number;
}

export interface RunningBakeWorkers extends RunningBakeWorker {
  readonly nodeId: string;
  readonly metrics: Metrics;
  /** Health, readiness and metrics (`PORT`; any free port when unset). */
  readonly opsUrl: string;
}

/**
 * The composition root of `pnpm worker`: bakes from the deployment's BullMQ queue, reading
 * stems from and writing renders to the shared S3 bucket. Needs `REDIS_URL` and a real S3
 * endpoint (`S3_EMBEDDED=false`): the embedded store is one node's disk.
 */
export async function startBakeWorkers(options: BakeWorkersOptions): Promise<RunningBakeWorkers> {
  const { env, logger } = options;
  const cluster = parseClusterSettings(env);
  if (!cluster.redisUrl) throw new Error('pnpm worker needs REDIS_URL (the bake queue)');
  const s3Settings = parseS3Settings(env);
  if (s3Settings.embedded) throw new Error('pnpm worker needs a shared S3 store: set S3_EMBEDDED=false and S3_ENDPOINT (the embedded store is one node’s disk)');
  // Health and metrics on PORT (0 by default: several workers may share a machine; set one each to scrape).
  const config = parseConfig({ PORT: '0', ...env });
  const metrics = createMetrics({ node: cluster.nodeId });
  const s3 = createS3Client(s3Settings);
  countS3Errors(s3, metrics);
  const bakeThreads = options.bakeThreads ?? (env.BAKE_THREADS ? Number(env.BAKE_THREADS) : undefined);
  // Track and encoder threads kept between the bakes this process runs.
  const kept = new BakeThreads();
  const worker = await startBakeWorker({
    redisUrl: cluster.redisUrl,
    logger,
    nodeId: cluster.nodeId,
    concurrency: cluster.bakeConcurrency,
    roomConcurrency: cluster.bakeRoomConcurrency,
    lockMs: cluster.bakeLockMs,
    stalledIntervalMs: cluster.bakeStalledIntervalMs,
    maxStalls: cluster.bakeMaxStalls,
    bake: createRenderBaker({
      stems: createS3StemSource({ s3, bucket: s3Settings.bucket, objectKey: stemPlaybackKey }),
      s3,
      bucket: s3Settings.bucket,
      ...(bakeThreads !== undefined && Number.isInteger(bakeThreads) && bakeThreads > 0 ? { workers: bakeThreads } : {}),
      threads: kept,
      mp3Encoder: config.mp3Encoder,
      flacEncoder: config.flacEncoder,
      mp3MeterDecoder: config.mp3MeterDecoder,
    }),
    onRedisError: () => metrics.redisErrors.inc({ role: 'bake-worker' }),
    onBakeFinished: (seconds, outcome) => metrics.bakeSeconds.observe({ outcome }, seconds),
  });
  let ready = true;
  // Not ready while draining or while the queue's Redis does not answer.
  const readiness = createReadiness({ probes: { redis: () => worker.ping() }, draining: () => !ready, timeoutMs: READINESS_TIMEOUT_MS, maxAgeMs: READINESS_MAX_AGE_MS });
  const ops = await startOpsServer({ host: config.host, port: config.port, metrics, token: config.metricsToken, readiness });
  logger.info('worker ops listening', { url: ops.url });
  const closeS3 = async () => {
    await kept.close();
    s3.destroy();
    await ops.close();
  };
  return {
    nodeId: cluster.nodeId,
    metrics,
    opsUrl: ops.url,
    get running() {
      return worker.running;
    },
    drain: async (timeoutMs) => {
      ready = false;
      await worker.drain(timeoutMs);
      await closeS3();
    },
    ping: () => worker.ping(),
    close: async () => {
      ready = false;
      await worker.close();
      await closeS3();
    },
  };
}
