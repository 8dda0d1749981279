import { parseSyncDocName } from '@mixroom/shared/review';

/**
 * The sync shard (0..count-1) owning a sync document: FNV-1a of its room id, so a room's mix
 * (`<room>`) and its review records (`<room>~review`) live in the same shard. Stable across
 * restarts for a given count; a changed SYNC_SHARDS moves rooms, which is safe because every
 * shard's write-ahead log is replayed into the room files before any shard starts.
 */
export function shardOf(docId: string, count: number): number {
  if (!(count > 1)) return 0;
  const roomId = parseSyncDocName(docId)?.roomId ?? docId;
  let hash = 0x811c9dc5;
  for (let i = 0; i < roomId.length; i++) {
    hash ^= roomId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/** The folder of shard `index`'s write-ahead log under DATA_DIR (the single process uses `wal`). */
export function shardWalDirName(index: number): string {
  return `wal-shard-${index}`;
}

/** Matches every write-ahead log folder a run may have left under DATA_DIR. */
export const WAL_DIR_NAME = /^wal(-shard-[0-9]+)?$/;
