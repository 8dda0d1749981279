import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { ObjectRead } from './ObjectStore.ts';

/** Reads an object, or one byte range of it; null when missing (as `ObjectStore.read`). */
export type ReadObject = (key: string, range: string | undefined) => Promise<ObjectRead | null>;

const RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Object reads straight from the embedded store's files (s3rver 3.7 keeps each object's bytes
 * in `<dataDir>/<bucket>/<key>._S3rver_object`, as `createEmbeddedStemSource` reads them for
 * bakes). The app serves embedded objects itself, so going through s3rver's HTTP, the SDK and
 * the guard for every Range read cost a second HTTP hop per byte for nothing. Keys come from
 * signed links; a key that would leave the bucket's folder is treated as missing.
 * An unsatisfiable range throws an `InvalidRange` error, as S3 answers 416.
 */
export function createEmbeddedObjectReader(dataDir: string, bucket: string): ReadObject {
  const root = resolve(dataDir, bucket);
  return async (key, range) => {
    const file = resolve(root, `${key}._S3rver_object`);
    if (!file.startsWith(root + sep)) return null;
    let size: number;
    let mtime: Date;
    try {
      ({ size, mtime } = await stat(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw error;
    }
    let start = 0;
    let end = size - 1;
    const m = range === undefined ? null : RANGE.exec(range);
    if (m) {
      if (m[1] === '') start = Math.max(0, size - Number(m[2]));
      else {
        start = Number(m[1]);
        end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
      }
      if (start >= size || start > end || (m[1] === '' && m[2] === '')) throw Object.assign(new Error('The requested range is not satisfiable'), { name: 'InvalidRange' });
    }
    return {
      status: m ? 206 : 200,
      body: createReadStream(file, { start, end, highWaterMark: 256 * 1024 }),
      contentLength: Math.max(0, end - start + 1),
      contentRange: m ? `bytes ${start}-${end}/${size}` : undefined,
      contentType: undefined,
      etag: undefined,
      lastModified: mtime,
    };
  };
}
