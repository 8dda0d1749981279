import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';

/** A running embedded S3-compatible store. */
export interface EmbeddedS3 {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
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
    close: () => server.close(),
  };
}
