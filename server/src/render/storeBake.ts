import { createReadStream } from 'node:fs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BakeError } from './BakeError.ts';
import type { SealedBakeFile } from './BakeFileSink.ts';

export interface StoredBake {
  bucket: string;
  key: string;
  bytes: number;
  sha256: string;
  contentType: string;
}

export interface StoreBakeOptions {
  s3: S3Client;
  bucket: string;
  /** Server-chosen prefix, e.g. `rooms/<roomId>/bakes`; the file name is the content hash. */
  keyPrefix: string;
  extension: string;
  contentType: string;
  signal?: AbortSignal;
}

/**
 * Uploads a sealed bake under a key derived from its SHA-256, streamed from disk, with the
 * hash in object metadata so a download can be verified against the version's approval.
 * Same bytes -> same key: re-baking an unchanged version overwrites it with itself.
 */
export async function storeBake(file: SealedBakeFile, options: StoreBakeOptions): Promise<StoredBake> {
  const key = `${options.keyPrefix.replace(/\/+$/, '')}/${file.sha256}.${options.extension}`;
  try {
    await options.s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: createReadStream(file.path),
        ContentLength: file.bytes,
        ContentType: options.contentType,
        Metadata: { sha256: file.sha256 },
      }),
      options.signal ? { abortSignal: options.signal } : {},
    );
  } catch (err) {
    if (options.signal?.aborted) throw new BakeError('cancelled', 'The bake was cancelled.', { cause: err });
    throw new BakeError('storage', `Storing the bake failed: ${(err as Error).message}`, { cause: err });
  }
  return { bucket: options.bucket, key, bytes: file.bytes, sha256: file.sha256, contentType: options.contentType };
}
