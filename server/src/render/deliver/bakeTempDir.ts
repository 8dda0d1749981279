import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** This machine's tag in a bake folder's name: pids only mean something on the host that made them. */
const HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
const PREFIX = 'mixroom-bake-';
const OWNED = /^mixroom-bake-([0-9a-f]{8})-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * A bake's temp folder in `root`, named after this host and process
 * (`mixroom-bake-<host>-<pid>-XXXXXX`), so that a later bake can tell the folder of a process
 * that died mid-bake (SIGKILL, out of memory, power loss: no `finally` ran) and remove it.
 */
export function createBakeTempDir(root: string = os.tmpdir()): Promise<string> {
  return mkdtemp(path.join(root, `${PREFIX}${HOST}-${process.pid}-`));
}

/**
 * Removes the bake folders in `root` left by processes of this host that no longer run: a
 * killed bake leaves its encoded files and the MP3's master spool (92 MB for 4 minutes).
 * A folder of a live process (this one's included) is never touched; nor is anything else.
 * Returns the folders removed. Errors are swallowed: a sweep must never fail a bake.
 */
export async function sweepDeadBakeTempDirs(root: string = os.tmpdir()): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = OWNED.exec(name);
    if (!m || m[1] !== HOST) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(root, name);
    if (await rm(dir, { recursive: true, force: true }).then(() => true, () => false)) removed.push(dir);
  }
  return removed;
}

/** Whether a process with this id runs on this host (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
