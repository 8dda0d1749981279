import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { BakeError, cancelledError } from '../BakeError.ts';
import type { BakeObjects } from './BakeObjects.ts';

/**
 * A bake's files in the embedded store's own files, for the embedded default where the store
 * runs in this very process (s3rver 3.7 keeps an object in `<dataDir>/<bucket>/<key>._S3rver_object`
 * and its headers in `..._S3rver_metadata.json`; it computes the `.md5` ETag file itself when
 * first asked). The sealed file is renamed into place (copied across file systems): through
 * its HTTP API every byte was read from disk, signed (SHA-256), sent, hashed (MD5) into a part
 * file and copied again into the object, about 1.5 CPU-s for a 4-minute song's four files.
 * Objects and reads are as an upload would leave them (`createEmbeddedObjectReader` and s3rver
 * serve them). Keys cannot leave the bucket's folder.
 */
export function createEmbeddedBakeObjects(dataDir: string, bucket: string): BakeObjects {
  const root = resolve(dataDir, bucket);
  const pathOf = (key: string, resource: 'object' | 'metadata.json' | 'object.md5'): string => {
    const file = resolve(root, `${key}._S3rver_${resource}`);
    if (!file.startsWith(root + sep)) throw new BakeError('storage', `The bake key "${key}" is not inside the bucket.`);
    return file;
  };
  return {
    async exists(key) {
      try {
        await stat(pathOf(key, 'object'));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
        throw new BakeError('storage', `Checking the bake's storage failed: ${(err as Error).message}`, { cause: err });
      }
    },
    async put(file, key, contentType, signal, onBytes) {
      if (signal.aborted) throw cancelledError(signal);
      const object = pathOf(key, 'object');
      try {
        await mkdir(dirname(object), { recursive: true });
        // Headers first, each file renamed into place whole: a reader sees the old object or the new one.
        const metadata = pathOf(key, 'metadata.json');
        await writeFile(`${metadata}.tmp`, JSON.stringify({ 'content-type': contentType, 'x-amz-meta-sha256': file.sha256 }, null, 2));
        await rename(`${metadata}.tmp`, metadata);
        // An ETag of an earlier object under this key must not outlive it (s3rver recomputes a missing one).
        await rm(pathOf(key, 'object.md5'), { force: true });
        await moveInto(file.path, object);
      } catch (err) {
        throw new BakeError('storage', `Storing the bake failed: ${(err as Error).message}`, { cause: err });
      }
      onBytes(file.bytes);
    },
    async remove(key) {
      await Promise.all((['object', 'metadata.json', 'object.md5'] as const).map((r) => rm(pathOf(key, r), { force: true })));
    },
  };
}

/** Renames `from` to `to`; across file systems, copies to a temp name beside `to` and renames that. */
async function moveInto(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, `${to}.tmp`);
    await rename(`${to}.tmp`, to);
  }
}
