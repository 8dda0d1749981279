import type { S3Client } from '@aws-sdk/client-s3';
import { BakeError, cancelledError } from '../BakeError.ts';
import type { BakeObjects } from './BakeObjects.ts';

/** A bake's files in an S3 bucket, uploaded through the API (multipart above one part). */
export function createS3BakeObjects(s3: S3Client, bucket: string): BakeObjects {
  return {
    async exists(Key, signal) {
      const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }), { abortSignal: signal });
        return true;
      } catch (err) {
        if (signal.aborted) throw cancelledError(signal);
        const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return false;
        throw new BakeError('storage', `Checking the bake's storage failed: ${(err as Error).message}`, { cause: err });
      }
    },
    async put(file, key, contentType, signal, onBytes) {
      // Loaded on first use: a bake to a local file (the CLI) does not pay for lib-storage.
      const { storeBake } = await import('./storeBake.ts');
      await storeBake(file, { s3, bucket, key, contentType, signal, onBytes });
    },
    async remove(Key) {
      const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    },
  };
}
