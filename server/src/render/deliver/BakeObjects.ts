import type { SealedBakeFile } from './BakeFileSink.ts';

/**
 * Where a bake's sealed files are kept, by key: S3 through its API
 * (`createS3BakeObjects`), or the embedded store's own files when it runs in this process
 * (`createEmbeddedBakeObjects`). `put` may take the sealed file away (move it).
 */
export interface BakeObjects {
  exists(key: string, signal: AbortSignal): Promise<boolean>;
  put(file: SealedBakeFile, key: string, contentType: string, signal: AbortSignal, onBytes: (sent: number) => void): Promise<void>;
  /** Deletes the object; a missing one is not an error. */
  remove(key: string): Promise<void>;
}
