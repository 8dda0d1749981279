import { open } from 'node:fs/promises';

/**
 * Makes a directory entry change (file created, renamed) durable. On Linux a new or renamed
 * file is only crash-safe once its parent directory has been fsynced too.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
