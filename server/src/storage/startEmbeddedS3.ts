import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';

/** A running embedded S3-compatible store. */
export interface EmbeddedS3 {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  /**
   * Deletes the parts of a multipart upload. s3rver does not implement
   * AbortMultipartUpload (it answers 405) and would keep the parts in its data folder for
   * ever; this removes its folder for that upload id, the one thing its API cannot do.
   */
  discardMultipartUpload(bucket: string, s3UploadId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 with its objects in `dataDir`.
 *
 * Loopback only, on purpose and not configurable: s3rver does not check request
 * signatures in any meaningful way (its only key pair, S3RVER/S3RVER, is public, so a
 * presigned URL can be forged by anyone), so anyone who could reach it could read and
 * write every stem. Production uses a real S3 endpoint instead.
 */
export async function startEmbeddedS3(options: { dataDir: string; port: number }): Promise<EmbeddedS3> {
  await mkdir(options.dataDir, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory: options.dataDir,
    silent: true,
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    discardMultipartUpload: async (bucket, s3UploadId) => {
      // s3rver's upload ids are hex; anything else is not ours to delete.
      if (!/^[0-9a-f]{16,64}$/.test(s3UploadId) || !/^[a-z0-9.-]+$/.test(bucket)) return;
      await rm(join(options.dataDir, bucket, '._S3rver_uploads', s3UploadId), { recursive: true, force: true });
    },
    close: () => server.close(),
  };
}
