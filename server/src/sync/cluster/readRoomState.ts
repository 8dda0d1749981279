import type { Redis } from 'ioredis';
import type { Logger } from '../../log/Logger.ts';
import { SnapshotCorruptError } from '../persistence/SnapshotFile.ts';
import type { S3Snapshots, SnapshotRef } from './S3Snapshots.ts';
import { compareStreamIds, decodeStreamBatch } from './StreamBatch.ts';
import type { SyncKeys } from './SyncKeys.ts';

export interface StreamEntry {
  readonly id: string;
  readonly node: string;
  readonly updates: readonly Uint8Array[];
}

/** A room as stored in the cluster: the newest readable snapshot plus the stream after it. */
export interface StoredRoomState {
  /** The snapshot used as the base, or null (none yet, or the stream reaches back to the start). */
  readonly base: SnapshotRef | null;
  readonly snapshot: Uint8Array | null;
  /** Every snapshot listed, newest first. */
  readonly snapshots: readonly SnapshotRef[];
  /** Stream entries after the base's cover id, in order. */
  readonly entries: readonly StreamEntry[];
  /** Id of the last entry in the stream when it was read ('0-0' when empty). */
  readonly lastId: string;
}

const PAGE = 1000;

/**
 * Reads one room: the stream first, then the snapshots. The compactor trims only entries
 * covered by the snapshot before the newest (and never entries younger than the minimum
 * lifetime), so whatever snapshot is newest by the time it is listed covers at least up to
 * where the stream read began: no gap between them. A snapshot that fails its checksum is
 * skipped for the previous one, loudly; the stream keeps every entry since that previous one.
 */
export async function readRoomState(
  deps: { readonly redis: Redis; readonly keys: SyncKeys; readonly snapshots: S3Snapshots; readonly logger: Logger },
  docId: string,
  signal?: AbortSignal,
): Promise<StoredRoomState> {
  const { redis, keys, snapshots, logger } = deps;
  const all: StreamEntry[] = [];
  let start = '-';
  for (;;) {
    const page = await redis.xrangeBuffer(keys.stream(docId), start, '+', 'COUNT', PAGE);
    for (const [idBuf, fields] of page) {
      const id = idBuf.toString();
      const entry = parseEntry(id, fields);
      if (entry) all.push(entry);
      else logger.error('unreadable sync stream entry skipped', { roomId: docId, id });
      start = `(${id}`;
    }
    if (page.length < PAGE) break;
    signal?.throwIfAborted();
  }
  const lastId = start === '-' ? '0-0' : start.slice(1);

  const listed = await snapshots.list(docId, signal);
  let base: SnapshotRef | null = null;
  let snapshot: Uint8Array | null = null;
  for (const ref of listed) {
    try {
      snapshot = await snapshots.read(ref, signal);
      base = ref;
      break;
    } catch (error) {
      if (!(error instanceof SnapshotCorruptError)) throw error;
      logger.error('ROOM SNAPSHOT CORRUPT: falling back to the previous one', { roomId: docId, key: ref.key, error: String(error) });
    }
  }
  if (listed.length > 0 && base === null) {
    // Only the first snapshot may be absent from under a stream that reaches back to the start.
    const oldest = listed[listed.length - 1]!;
    const first = all[0];
    if (listed.length > 1 || first === undefined || compareStreamIds(first.id, oldest.coverId) > 0) {
      throw new SnapshotCorruptError(`room ${docId}: every kept snapshot is corrupt`);
    }
  }
  if (base !== null && base !== listed[0]) {
    logger.error('ROOM LOADED FROM AN OLDER SNAPSHOT', { roomId: docId, key: base.key, newest: listed[0]!.key });
  }
  const entries = base === null ? all : all.filter((e) => compareStreamIds(e.id, base.coverId) > 0);
  return { base, snapshot, snapshots: listed, entries, lastId };
}

/** Decodes one XRANGE/XREAD entry (`n` node, `u` batch); null when it is not ours. */
export function parseEntry(id: string, fields: readonly Buffer[]): StreamEntry | null {
  let node: string | null = null;
  let batch: Buffer | null = null;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString();
    if (name === 'n') node = fields[i + 1]!.toString();
    else if (name === 'u') batch = fields[i + 1]!;
  }
  if (node === null || batch === null) return null;
  try {
    return { id, node, updates: decodeStreamBatch(new Uint8Array(batch.buffer, batch.byteOffset, batch.byteLength)) };
  } catch {
    return null;
  }
}
