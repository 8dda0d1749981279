import { createS3Client } from './createS3Client.ts';
import { ensureBucket } from './ensureBucket.ts';
import { ObjectStore } from './ObjectStore.ts';
import type { S3Settings } from './S3Settings.ts';
import { startEmbeddedS3 } from './startEmbeddedS3.ts';

export interface OpenedObjectStore {
  store: ObjectStore;
  /** The S3 endpoint browsers talk to (presigned URLs point here). */
  endpoint: string | undefined;
  /** False when the store has no per-bucket CORS API (its own CORS setting applies). */
  corsConfigured: boolean;
  /** Stops the embedded store, if one was started, and the client. */
  close(): Promise<void>;
}

/**
 * Boot-time storage set-up: starts the embedded store when configured, connects the S3
 * client, and creates the bucket and its CORS rules when missing.
 * @param allowedOrigins origins of the web app, allowed to PUT parts and GET stems.
 */
export async function openObjectStore(settings: S3Settings, allowedOrigins: readonly string[]): Promise<OpenedObjectStore> {
  const embedded = settings.embedded ? await startEmbeddedS3({ dataDir: settings.dataDir, port: settings.embeddedPort }) : null;
  const endpoint = embedded?.endpoint ?? settings.endpoint;
  const s3 = createS3Client({ ...settings, endpoint, forcePathStyle: embedded ? true : settings.forcePathStyle });
  let corsConfigured: boolean;
  try {
    ({ corsConfigured } = await ensureBucket(s3, settings.bucket, allowedOrigins, settings.region));
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
    endpoint,
    corsConfigured,
    close: async () => {
      s3.destroy();
      await embedded?.close();
    },
  };
}
