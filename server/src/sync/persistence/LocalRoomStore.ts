import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RoomId } from '@mixroom/shared/protocol';
import type { Logger } from '../../log/Logger.ts';
import type { OpenedRoom, RoomStorage, RoomStore } from './RoomStore.ts';
import { UpdateLog } from './UpdateLog.ts';
import { readSnapshot, removeStaleSnapshotTemp, writeSnapshotAtomic } from './SnapshotFile.ts';
import { fsyncDirectory } from './fsyncDirectory.ts';

/**
 * The embedded default {@link RoomStore}: `<dataDir>/rooms/<roomId>/snapshot.ydoc` plus
 * `updates.log`. Every update is appended and fsynced before the room relays it; compaction
 * writes a new snapshot atomically and only then truncates the log. Loading applies the
 * snapshot and then the log: Yjs updates are idempotent, so a crash between the snapshot
 * rename and the log truncation merely replays updates the snapshot already holds.
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
    const snapshotPath = join(dir, 'snapshot.ydoc');
    await removeStaleSnapshotTemp(snapshotPath);
    const snapshot = await readSnapshot(snapshotPath);
    const { log, updates, discardedBytes } = await UpdateLog.open(join(dir, 'updates.log'));
    if (discardedBytes > 0) {
      this.logger.warn('update log had a torn tail; ignored it', { roomId, discardedBytes });
    }
    const all = snapshot === null ? updates : [snapshot, ...updates];
    return { storage: new LocalRoomStorage(log, snapshotPath), updates: all, isNew: all.length === 0 };
  }
}

class LocalRoomStorage implements RoomStorage {
  constructor(
    private readonly log: UpdateLog,
    private readonly snapshotPath: string,
  ) {}

  get logBytes(): number {
    return this.log.bytes;
  }

  append(updates: readonly Uint8Array[]): Promise<void> {
    return this.log.append(updates);
  }

  async compact(state: Uint8Array): Promise<void> {
    await writeSnapshotAtomic(this.snapshotPath, state);
    await this.log.truncate();
  }

  close(): Promise<void> {
    return this.log.close();
  }
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
