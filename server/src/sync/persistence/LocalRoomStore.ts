import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RoomId } from '@mixroom/shared/protocol';
import type { Logger } from '../../log/Logger.ts';
import type { OpenedRoom, RoomStorage, RoomStore } from './RoomStore.ts';
import { UpdateLog } from './UpdateLog.ts';
import { WriteAheadLog, type WalEntries } from './WriteAheadLog.ts';
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
 *
 * Durability comes from one node-wide {@link WriteAheadLog} (`wal/`): an append goes to the
 * room's log in the page cache, then to the write-ahead log, whose one O_DSYNC write per tick
 * covers every room (group commit). Room logs are fdatasynced when a segment retires, when
 * they close, and at boot for whatever a crash left in the write-ahead log.
 */
export class LocalRoomStore implements RoomStore {
  private readonly roomsDir: string;
  private readonly walDir: string;
  private wal: WriteAheadLog | null = null;
  private starting: Promise<void> | null = null;
  /** Room logs with appends not yet fdatasynced (what a checkpoint flushes). */
  private readonly dirtyLogs = new Set<UpdateLog>();
  /**
   * Set when a room log could not be written and its unwritten appends (relayed, durable only
   * in the write-ahead log) would be missing from the room's files: no room opens from them
   * again until a restart replays the write-ahead log into them (fail-stop).
   */
  private broken: Error | null = null;

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    private readonly options: {
      readonly walSegmentBytes?: number;
      /** The write-ahead log's folder under `dataDir` (default `wal`; each sync shard has its own). */
      readonly walDirName?: string;
    } = {},
  ) {
    this.roomsDir = join(resolve(dataDir), 'rooms');
    this.walDir = join(resolve(dataDir), options.walDirName ?? 'wal');
  }

  /** Idempotent; `open` calls it too. */
  start(): Promise<void> {
    return (this.starting ??= this.boot());
  }

  private async boot(): Promise<void> {
    await mkdir(this.roomsDir, { recursive: true });
    // Fail at boot, not on the first edit, when the data folder is not writable.
    const probe = join(this.roomsDir, `.probe-${process.pid}`);
    await writeFile(probe, 'ok', { flush: true });
    await rm(probe);
    this.wal = await WriteAheadLog.open(this.walDir, (entries) => this.replay(entries), {
      segmentBytes: this.options.walSegmentBytes ?? WAL_SEGMENT_BYTES,
      checkpoint: () => this.syncDirtyLogs(),
      logger: this.logger,
    });
  }

  /** Flushes and releases the write-ahead log; every room must be closed already. */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.wal?.close();
    this.wal = null;
    this.starting = null;
  }

  private durability(): Durability {
    const wal = this.wal;
    if (wal === null) throw new Error('LocalRoomStore: start() it before opening rooms');
    return {
      wal,
      markDirty: (log) => this.dirtyLogs.add(log),
      forget: (log) => this.dirtyLogs.delete(log),
      writeFailed: (log, error) => {
        if (log.unwrittenBytes === 0 || this.broken) return;
        this.broken = new Error('a room log could not be written; restart the node (its write-ahead log replays what the room files lack)', { cause: error });
        this.logger.error('ROOM LOG WRITE FAILED: rooms stay closed until a restart replays the write-ahead log', { error: String(error) });
      },
    };
  }

  private async syncDirtyLogs(): Promise<void> {
    const logs = [...this.dirtyLogs];
    this.dirtyLogs.clear();
    // Two at a time: the thread pool keeps free threads for the write-ahead log's own writes,
    // so a checkpoint of a thousand rooms does not stall every room's relays behind it.
    let next = 0;
    let failure: unknown = null;
    const worker = async (): Promise<void> => {
      while (next < logs.length && failure === null) {
        const log = logs[next++]!;
        await log.sync().catch((error: unknown) => void (failure ??= error));
      }
    };
    await Promise.all([worker(), worker()]);
    if (failure !== null) {
      for (const log of logs) this.dirtyLogs.add(log);
      throw failure;
    }
  }

  /** Appends what a crash left in the write-ahead log to each room's newest log, durably. */
  private async replay(entries: WalEntries): Promise<void> {
    for (const [roomId, updates] of entries) {
      const dir = join(this.roomsDir, roomId);
      if (!(await exists(dir))) {
        await mkdir(dir);
        await fsyncDirectory(this.roomsDir);
      }
      const { snapshots, logs } = generationsIn(await readdir(dir));
      const newest = Math.max(0, ...snapshots, ...logs);
      // Opening repairs a torn tail first, so the replayed records are not hidden behind it.
      const { log } = await UpdateLog.open(join(dir, logName(newest)));
      try {
        await log.append(updates);
      } finally {
        await log.close();
      }
    }
  }

  async open(roomId: RoomId): Promise<OpenedRoom> {
    await this.start();
    if (this.broken) throw this.broken;
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
    const { log, updates: tail, discardedBytes } = await UpdateLog.open(join(dir, logName(newest)), { durable: false });
    if (discardedBytes > 0) {
      this.logger.warn('update log had a torn tail; ignored it', { roomId, discardedBytes });
    }
    updates.push(...tail);
    return {
      storage: new LocalRoomStorage(dir, roomId, log, newest, this.durability()),
      updates,
      isNew: updates.length === 0,
    };
  }
}

/** What a room's storage needs from its store to make appends durable. */
interface Durability {
  readonly wal: WriteAheadLog;
  readonly markDirty: (log: UpdateLog) => void;
  /** The log was closed (which flushed it): no checkpoint needs it. */
  readonly forget: (log: UpdateLog) => void;
  /** Writing `log` failed; fail-stop if it still holds appends its file lacks. */
  readonly writeFailed: (log: UpdateLog, error: unknown) => void;
}

class LocalRoomStorage implements RoomStorage {
  constructor(
    private readonly dir: string,
    private readonly roomId: RoomId,
    private log: UpdateLog,
    private generation: number,
    private readonly durability: Durability,
  ) {}

  get logBytes(): number {
    return this.log.bytes;
  }

  async append(updates: readonly Uint8Array[]): Promise<void> {
    // The room log first: a checkpoint that follows the write-ahead write then covers it.
    const log = this.log;
    this.durability.markDirty(log);
    await this.guard(log, log.append(updates));
    await this.durability.wal.append(this.roomId, updates);
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
    const { log } = await UpdateLog.open(join(this.dir, logName(next)), { durable: false });
    const previous = this.log;
    this.log = log;
    this.generation = next;
    // Flushed on close: it is the fallback's log if snapshot `next` ever fails its checksum.
    await this.guard(previous, previous.close());
    this.durability.forget(previous);
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

  async close(): Promise<void> {
    await this.guard(this.log, this.log.close());
    this.durability.forget(this.log);
  }

  /** Runs a write of `log`, reporting a failure that leaves appends unwritten (see LocalRoomStore.broken). */
  private async guard(log: UpdateLog, write: Promise<void>): Promise<void> {
    try {
      await write;
    } catch (error) {
      this.durability.writeFailed(log, error);
      throw error;
    }
  }
}

/** A write-ahead segment past this is retired (its room logs fdatasynced, then it is deleted). */
const WAL_SEGMENT_BYTES = 8 * 1024 * 1024;

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
