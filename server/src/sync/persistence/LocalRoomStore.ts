import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RoomId } from '@mixroom/shared/protocol';
import type { Logger } from '../../log/Logger.ts';
import type { OpenedRoom, RoomStorage, RoomStore } from './RoomStore.ts';
import { UpdateLog } from './UpdateLog.ts';
import { readSnapshot, SnapshotCorruptError, writeSnapshotAtomic } from './SnapshotFile.ts';
import { fsyncDirectory } from './fsyncDirectory.ts';

/**
 * The embedded default {@link RoomStore}: per room, generations of `snapshot` + `log`, where
 * the log of generation g holds the updates appended after snapshot g:
 *
 *   gen 0: (no snapshot, or a legacy `snapshot.ydoc`) + `updates.log`
 *   gen g: `snapshot-<g>.ydoc` + `updates-<g>.log`
 *
 * Compaction writes snapshot g+1 atomically, reads it back and compares it with what it meant
 * to write, and only then starts log g+1; generation g (snapshot and log) is kept, and g-1 and
 * older are deleted. So a snapshot that later fails its checksum (a flipped bit on disk) costs
 * nothing: loading falls back to the previous snapshot plus every log since it, with an error
 * line that names the bad file. Yjs updates are idempotent, so logs that overlap a snapshot
 * (a crash between the snapshot rename and the next log's creation) merely replay.
 */
export class LocalRoomStore implements RoomStore {
  private readonly roomsDir: string;

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.roomsDir = join(resolve(dataDir), 'rooms');
  }

  async start(): Promise<void> {
    await mkdir(this.roomsDir, { recursive: true });
    // Fail at boot, not on the first edit, when the data folder is not writable.
    const probe = join(this.roomsDir, `.probe-${process.pid}`);
    await writeFile(probe, 'ok', { flush: true });
    await rm(probe);
  }

  async open(roomId: RoomId): Promise<OpenedRoom> {
    const dir = join(this.roomsDir, roomId);
    if (!(await exists(dir))) {
      await mkdir(dir);
      await fsyncDirectory(this.roomsDir);
    }
    const files = await readdir(dir);
    // A temp file is a snapshot write a crash interrupted before its rename: never valid.
    await Promise.all(files.filter((f) => f.endsWith('.tmp')).map((f) => rm(join(dir, f), { force: true })));
    const { snapshots, logs } = generationsIn(files);
    const newest = Math.max(0, ...snapshots, ...logs);

    // The newest snapshot that reads back whole is the base; a corrupt one falls back.
    let base: number | null = null;
    let snapshot: Uint8Array | null = null;
    for (const gen of [...snapshots].sort((a, b) => b - a)) {
      try {
        snapshot = await readSnapshot(join(dir, snapshotName(gen)));
        base = gen;
        break;
      } catch (error) {
        if (!(error instanceof SnapshotCorruptError)) throw error;
        this.logger.error('ROOM SNAPSHOT CORRUPT: falling back to the previous generation', {
          roomId,
          file: snapshotName(gen),
          error: String(error),
        });
      }
    }
    // Generation 0 may start from nothing: a room whose first log is still there.
    if (base === null && !snapshots.includes(0) && logs.includes(0)) base = 0;
    if (base === null && snapshots.length > 0) {
      throw new SnapshotCorruptError(`room ${roomId}: every kept snapshot is corrupt and no log reaches back to its start`);
    }
    const from = base ?? 0;
    if (snapshots.length > 0 && base !== null && base < Math.max(...snapshots)) {
      this.logger.error('ROOM LOADED FROM AN OLDER SNAPSHOT', { roomId, generation: base, newest: Math.max(...snapshots) });
    }

    // Closed logs of older generations, then the current one (which repairs a torn tail).
    const updates: Uint8Array[] = snapshot === null ? [] : [snapshot];
    for (let gen = from; gen < newest; gen++) {
      if (!logs.includes(gen)) {
        if (gen === from && snapshot !== null) continue;
        throw new Error(`room ${roomId}: log of generation ${gen} is missing`);
      }
      const old = await UpdateLog.open(join(dir, logName(gen)));
      await old.log.close();
      updates.push(...old.updates);
      if (old.discardedBytes > 0) this.logger.warn('an older update log had a torn tail; ignored it', { roomId, generation: gen });
    }
    const { log, updates: tail, discardedBytes } = await UpdateLog.open(join(dir, logName(newest)));
    if (discardedBytes > 0) {
      this.logger.warn('update log had a torn tail; ignored it', { roomId, discardedBytes });
    }
    updates.push(...tail);
    return {
      storage: new LocalRoomStorage(dir, log, newest),
      updates,
      isNew: updates.length === 0,
    };
  }
}

class LocalRoomStorage implements RoomStorage {
  constructor(
    private readonly dir: string,
    private log: UpdateLog,
    private generation: number,
  ) {}

  get logBytes(): number {
    return this.log.bytes;
  }

  append(updates: readonly Uint8Array[]): Promise<void> {
    return this.log.append(updates);
  }

  async compact(state: Uint8Array): Promise<void> {
    const next = this.generation + 1;
    const path = join(this.dir, snapshotName(next));
    await writeSnapshotAtomic(path, state);
    // Verified before anything older is let go: what is on disk is exactly what we meant.
    const readBack = await readSnapshot(path);
    if (readBack === null || !Buffer.from(readBack).equals(Buffer.from(state))) {
      await rm(path, { force: true });
      throw new SnapshotCorruptError(`snapshot ${path} did not read back as written`);
    }
    const { log } = await UpdateLog.open(join(this.dir, logName(next)));
    const previous = this.log;
    this.log = log;
    this.generation = next;
    await previous.close();
    // Keep generation next-1 (the fallback); drop everything older.
    const { snapshots, logs } = generationsIn(await readdir(this.dir));
    const stale = [
      ...snapshots.filter((g) => g < next - 1).map(snapshotName),
      ...logs.filter((g) => g < next - 1).map(logName),
    ];
    if (stale.length > 0) {
      await Promise.all(stale.map((f) => rm(join(this.dir, f), { force: true })));
      await fsyncDirectory(this.dir);
    }
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/** File names of one generation (generation 0 keeps the names rooms had before generations). */
export function snapshotName(gen: number): string {
  return gen === 0 ? 'snapshot.ydoc' : `snapshot-${gen}.ydoc`;
}

export function logName(gen: number): string {
  return gen === 0 ? 'updates.log' : `updates-${gen}.log`;
}

function generationsIn(files: readonly string[]): { snapshots: number[]; logs: number[] } {
  const snapshots: number[] = [];
  const logs: number[] = [];
  for (const f of files) {
    if (f === 'snapshot.ydoc') snapshots.push(0);
    else if (f === 'updates.log') logs.push(0);
    else {
      const s = /^snapshot-([1-9][0-9]{0,8})\.ydoc$/.exec(f);
      if (s) snapshots.push(Number(s[1]));
      const l = /^updates-([1-9][0-9]{0,8})\.log$/.exec(f);
      if (l) logs.push(Number(l[1]));
    }
  }
  return { snapshots, logs };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
