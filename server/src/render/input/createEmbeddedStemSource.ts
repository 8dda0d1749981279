import path from 'node:path';
import { BakeError } from '../BakeError.ts';
import { createFileStemSource } from './createFileStemSource.ts';
import type { StemSource } from './StemSource.ts';

export interface EmbeddedStemSourceOptions {
  /** The embedded store's data folder (S3_DATA_DIR). */
  dataDir: string;
  bucket: string;
  /** Maps a stem key from the mix to the object to read (as createS3StemSource's). */
  objectKey?: (stemKey: string) => string;
}

/**
 * Stems read straight from the embedded store's files (s3rver 3.7 keeps each object's bytes
 * in `<dataDir>/<bucket>/<key>._S3rver_object`), for the embedded default where the store
 * runs in this very process. Through HTTP every stem byte cost about 4 ns on each side
 * (s3rver's file streams, Node's HTTP client, the SDK's per-request middleware) and crossed
 * the main thread; from the file, the bake's workers read their blocks by descriptor, as from
 * the CLI's folders. Keys cannot leave the bucket's folder (createFileStemSource checks).
 */
export function createEmbeddedStemSource(options: EmbeddedStemSourceOptions): StemSource {
  const files = createFileStemSource(path.join(options.dataDir, options.bucket));
  const objectKey = options.objectKey ?? ((k: string) => k);
  return {
    open: (key, signal) => {
      const file = `${objectKey(key)}._S3rver_object`;
      return files.open(file, signal).catch((err: unknown) => {
        // Errors name the stem as the mix does, never the store's file or folder.
        if (!(err instanceof BakeError)) throw err;
        const message = err.code === 'stem-missing' ? `Stem "${key}" is missing from storage.` : err.message.replaceAll(file, key);
        throw new BakeError(err.code, message, { stemKey: key, cause: err.cause });
      });
    },
  };
}
