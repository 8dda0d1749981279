import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BakeError } from '../BakeError.ts';
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
  /** `<server-chosen prefix>/<sha256>.<ext>`, e.g. `rooms/<roomId>/bakes/<sha256>.wav`. */
  key: string;
  contentType: string;
  signal?: AbortSignal;
  /** Bytes sent so far (for the room's "storing" progress). */
  onBytes?: (sent: number) => void;
}

/** Multipart part size: 8 MiB parts, 4 in flight (a 4-minute WAV 24 is 9 parts). */
const PART_BYTES = 8 << 20;
const PARTS_IN_FLIGHT = 4;

/**
 * Uploads a sealed bake under its key (derived from its SHA-256), streamed from disk (a multipart
 * upload with parts in parallel above one part, through the SDK's lib-storage), with the hash
 * in object metadata so a download can be verified against the version's approval.
 * Same bytes -> same key: re-baking an unchanged version overwrites it with itself.
 */
export async function storeBake(file: SealedBakeFile, options: StoreBakeOptions): Promise<void> {
  const upload = new Upload({
    client: options.s3,
    params: {
      Bucket: options.bucket,
      Key: options.key,
      Body: createReadStream(file.path, { highWaterMark: 1 << 20 }),
      ContentType: options.contentType,
      Metadata: { sha256: file.sha256 },
    },
    partSize: PART_BYTES,
    queueSize: PARTS_IN_FLIGHT,
  });
  upload.on('httpUploadProgress', (p) => {
    if (p.loaded !== undefined) options.onBytes?.(Math.min(p.loaded, file.bytes));
  });
  const onAbort = (): void => void upload.abort().catch(() => {});
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal?.aborted) throw new Error('aborted');
    await upload.done();
  } catch (err) {
    if (options.signal?.aborted) throw new BakeError('cancelled', 'The bake was cancelled.', { cause: err });
    throw new BakeError('storage', `Storing the bake failed: ${(err as Error).message}`, { cause: err });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  options.onBytes?.(file.bytes);
}
