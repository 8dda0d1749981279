import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../server/src/storage/createS3Client.ts';
import { ensureBucket } from '../../server/src/storage/ensureBucket.ts';
import { startEmbeddedS3, type EmbeddedS3 } from '../../server/src/storage/startEmbeddedS3.ts';
import { makeTempDir } from '../integration/syncHarness.ts';
import { startPostgres, type TestPostgres } from './startPostgres.ts';
import { startRedisServer, type TestRedis } from './startRedisServer.ts';

/** What cluster-mode nodes share: Redis, PostgreSQL (auth) and an S3 API, in a fresh temp dir. */
export interface ClusterBackends {
  readonly tmp: Awaited<ReturnType<typeof makeTempDir>>;
  readonly redis: TestRedis;
  readonly pg: TestPostgres;
  readonly s3: EmbeddedS3;
  /** A client of that S3 (the bucket exists). */
  readonly s3Client: S3Client;
  /** The environment every node of the cluster needs (mode, stores, one auth secret); add the rest. */
  readonly env: Record<string, string>;
  /** Stops the backends and removes the temp dir; stop the nodes first. */
  close(): Promise<void>;
}

/** Starts the shared backends of a cluster test; `bucket` defaults to the product's `mixroom`. */
export async function startClusterBackends(prefix: string, options: { bucket?: string } = {}): Promise<ClusterBackends> {
  const tmp = await makeTempDir(prefix);
  const [redis, pg, s3] = await Promise.all([startRedisServer(), startPostgres(), startEmbeddedS3({ dataDir: `${tmp.path}/s3`, port: 0, acceptPresignedUrls: true })]);
  const bucket = options.bucket ?? 'mixroom';
  const s3Client = createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', ...s3.credentials, forcePathStyle: true });
  await ensureBucket(s3Client, bucket, ['*']);
  return {
    tmp,
    redis,
    pg,
    s3,
    s3Client,
    env: {
      MIXROOM_MODE: 'cluster',
      REDIS_URL: redis.url,
      DATABASE_URL: pg.url,
      AUTH_SECRET: randomBytes(32).toString('hex'),
      S3_EMBEDDED: 'false',
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      S3_BUCKET: bucket,
    },
    async close() {
      await s3.close();
      await Promise.all([redis.stop(), pg.stop()]);
      await tmp.remove();
    },
  };
}
