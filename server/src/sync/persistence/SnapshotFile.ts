import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeRecords, encodeRecords } from './LogRecord.ts';
import { fsyncDirectory } from './fsyncDirectory.ts';

/** First bytes of a snapshot file: identifies the file and its format version. */
export const SNAPSHOT_MAGIC = Buffer.from('MXRSNP1\n', 'latin1');

/** The snapshot exists but its checksum fails: refuse to load rather than lose data quietly. */
export class SnapshotCorruptError extends Error {
  override readonly name = 'SnapshotCorruptError';
}

/** Reads a snapshot written by {@link writeSnapshotAtomic}; `null` when there is none. */
export async function readSnapshot(path: string): Promise<Uint8Array | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const header = bytes.subarray(0, SNAPSHOT_MAGIC.byteLength);
  const { payloads, validBytes } = decodeRecords(bytes, SNAPSHOT_MAGIC.byteLength);
  if (!header.equals(SNAPSHOT_MAGIC) || payloads.length !== 1 || validBytes !== bytes.byteLength) {
    throw new SnapshotCorruptError(`snapshot ${path} is corrupt`);
  }
  return payloads[0]!;
}

/** Path of the temporary file used while writing `path`; stale ones are deleted on open. */
export function snapshotTempPath(path: string): string {
  return `${path}.tmp`;
}

/**
 * Replaces the snapshot at `path` atomically: write a temp file, fsync it, rename it over the
 * old one, fsync the directory. A crash leaves either the old or the new snapshot, whole.
 */
export async function writeSnapshotAtomic(path: string, state: Uint8Array): Promise<void> {
  const temp = snapshotTempPath(path);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(Buffer.concat([SNAPSHOT_MAGIC, encodeRecords([state])]));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await fsyncDirectory(dirname(path));
}
