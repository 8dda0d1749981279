import { join } from 'node:path';
import { createS3Client } from './createS3Client.ts';
import { ensureBucket } from './ensureBucket.ts';
import { loadStoreCredentials } from './loadStoreCredentials.ts';
import { ObjectStore } from './ObjectStore.ts';
import { createEmbeddedObjectReader, type ReadObject } from './readEmbeddedObject.ts';
import type { S3Settings } from './S3Settings.ts';
import { startEmbeddedS3 } from './startEmbeddedS3.ts';

export interface OpenedObjectStore {
  store: ObjectStore;
  /** True when this process runs the embedded store (browsers then go through the app). */
  embedded: boolean;
  /** Reads objects from the embedded store's files (null with real S3; see `createEmbeddedObjectReader`). */
  localRead: ReadObject | null;
  /** The S3 endpoint (the embedded store's loopback address, or the configured one). */
  endpoint: string | undefined;
  /** False when the store has no per-bucket CORS API (its own CORS setting applies); true when none was needed. */
  corsConfigured: boolean;
  /** Stops the embedded store, if one was started, and the client. */
  close(): Promise<void>;
}

/** Where the embedded store keeps its per-install key pair (inside its data folder). */
export const EMBEDDED_CREDENTIALS_FILE = '.mixroom-credentials.json';

/**
 * Boot-time storage set-up: starts the embedded store when configured (with its per-install
 * key pair, see `loadStoreCredentials`), connects the S3 client, and creates the bucket when
 * missing. A real S3 bucket gets a CORS rule for `browserOrigins`, which PUT parts and GET
 * stems straight from S3; the embedded store needs none, since browsers never reach it.
 */
export async function openObjectStore(settings: S3Settings, browserOrigins: readonly string[]): Promise<OpenedObjectStore> {
  const credentials = settings.embedded
    ? await loadStoreCredentials(join(settings.dataDir, EMBEDDED_CREDENTIALS_FILE))
    : { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey };
  const embedded = settings.embedded
    ? await startEmbeddedS3({ dataDir: settings.dataDir, port: settings.embeddedPort, credentials, region: settings.region })
    : null;
  const endpoint = embedded?.endpoint ?? settings.endpoint;
  const s3 = createS3Client({ ...settings, ...credentials, endpoint, forcePathStyle: embedded ? true : settings.forcePathStyle });
  let corsConfigured: boolean;
  try {
    ({ corsConfigured } = await ensureBucket(s3, settings.bucket, embedded ? null : browserOrigins, settings.region));
  } catch (error) {
    s3.destroy();
    await embedded?.close();
    throw error;
  }
  return {
    store: new ObjectStore(
      s3,
      settings.bucket,
      embedded ? (s3UploadId) => embedded.discardMultipartUpload(settings.bucket, s3UploadId) : undefined,
    ),
    embedded: embedded !== null,
    localRead: embedded ? createEmbeddedObjectReader(settings.dataDir, settings.bucket) : null,
    endpoint,
    corsConfigured,
    close: async () => {
      s3.destroy();
      await embedded?.close();
    },
  };
}
