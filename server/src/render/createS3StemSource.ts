import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { BakeError } from './BakeError.ts';
import { openWavStream } from './openWavStream.ts';
import type { StemSource } from './StemSource.ts';

export interface S3StemSourceOptions {
  s3: S3Client;
  bucket: string;
  /**
   * Maps a stem key from the mix (StemRef.key) to the object to stream. Defaults to the key
   * itself; point it at the canonical decoded playback copy when stems are stored encoded.
   */
  objectKey?: (stemKey: string) => string;
}

/**
 * Streams stems out of S3 with one GetObject per stem; the body is consumed as the bake pulls
 * blocks, so the HTTP connection's flow control bounds memory, not the stem's length.
 */
export function createS3StemSource(options: S3StemSourceOptions): StemSource {
  const { s3, bucket } = options;
  const objectKey = options.objectKey ?? ((k: string) => k);
  return {
    async open(key, signal) {
      const Key = objectKey(key);
      let body: AsyncIterable<Uint8Array> & { destroy?: () => void };
      try {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }), { abortSignal: signal });
        if (res.Body === undefined) throw new BakeError('stem-missing', `Stem "${key}" has no body in storage.`, { stemKey: key });
        body = res.Body as unknown as AsyncIterable<Uint8Array> & { destroy?: () => void };
      } catch (err) {
        if (err instanceof BakeError) throw err;
        if (signal.aborted) throw new BakeError('cancelled', 'The bake was cancelled.', { cause: err });
        if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') {
          throw new BakeError('stem-missing', `Stem "${key}" is missing from storage (object ${Key}).`, { stemKey: key, cause: err });
        }
        throw new BakeError('storage', `Stem "${key}" could not be read from storage: ${(err as Error).message}`, {
          stemKey: key,
          cause: err,
        });
      }
      const close = async (): Promise<void> => {
        body.destroy?.();
      };
      return openWavStream(body, `Stem "${key}"`, close);
    },
  };
}
