import { readdir } from 'node:fs/promises';
import type { Logger } from '../../log/Logger.ts';
import { LocalRoomStore } from '../persistence/LocalRoomStore.ts';
import { WAL_DIR_NAME } from './shardOf.ts';

/**
 * Replays every write-ahead log folder under `dataDir` (`wal`, `wal-shard-<n>`) into the room
 * files, except `keep` (the one the caller opens itself). Run before rooms are opened: after
 * a change of SYNC_SHARDS a room's last updates may sit in another shard's log (or the single
 * process's), and must reach its files before its new owner loads it.
 */
export async function replayWriteAheadLogs(dataDir: string, logger: Logger, keep?: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  for (const name of names.sort()) {
    if (!WAL_DIR_NAME.test(name) || name === keep) continue;
    const store = new LocalRoomStore(dataDir, logger, { walDirName: name });
    await store.start();
    await store.stop();
  }
}
