import { constants, writeSync } from 'node:fs';
import { open, readFile, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeRecords, encodeRecords } from './LogRecord.ts';
import { fsyncDirectory } from './fsyncDirectory.ts';

/**
 * O_APPEND: after a truncate, writes continue at the new end. O_DSYNC: each write returns
 * only once its data is on disk, so an append is one syscall (one thread-pool round trip)
 * instead of a write followed by an fdatasync.
 */
const APPEND_DURABLY = constants.O_WRONLY | constants.O_APPEND | constants.O_DSYNC;
/** A log whose durability is elsewhere (the write-ahead log): appends reach the page cache only. */
const APPEND_LAZILY = constants.O_WRONLY | constants.O_APPEND;

export interface UpdateLogOptions {
  /**
   * True (default): each `append` is on disk when it returns. False: appends are buffered by
   * the OS until {@link UpdateLog.sync} or `close`; something else must make them durable
   * first (LocalRoomStore's WriteAheadLog).
   */
  readonly durable?: boolean;
}

/** First bytes of every update log: identifies the file and its format version. */
export const UPDATE_LOG_MAGIC = Buffer.from('MXRLOG1\n', 'latin1');

export interface OpenedUpdateLog {
  readonly log: UpdateLog;
  readonly updates: Uint8Array[];
  /** Bytes past the last valid record (a torn tail), moved aside and cut from the log. */
  readonly discardedBytes: number;
}

/**
 * Append-only, checksummed log of Yjs updates for one room. Durable: each `append` is one O_DSYNC
 * write (data on disk when it returns). Lazy: appends are plain writes, flushed by `sync` and
 * `close`.
 *
 * On open, a torn or corrupt tail is detected (see `LogRecord`), copied to a
 * `.discarded-<offset>` file beside the log for inspection, and cut off, so that later appends
 * never land behind garbage that would hide them on the next load.
 */
export class UpdateLog {
  /** Lazy appends not yet flushed by `sync`. */
  private dirty = false;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    private recordBytes: number,
    private readonly durable: boolean,
  ) {}

  static async open(path: string, options: UpdateLogOptions = {}): Promise<OpenedUpdateLog> {
    const durable = options.durable ?? true;
    const flags = durable ? APPEND_DURABLY : APPEND_LAZILY;
    let bytes: Buffer | null = null;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // A file shorter than the magic is a creation torn by a crash: nothing was ever logged.
    if (bytes === null || bytes.byteLength < UPDATE_LOG_MAGIC.byteLength) {
      await writeFile(path, UPDATE_LOG_MAGIC, { flush: true });
      await fsyncDirectory(dirname(path));
      const handle = await open(path, flags);
      return { log: new UpdateLog(handle, 0, durable), updates: [], discardedBytes: 0 };
    }
    if (!bytes.subarray(0, UPDATE_LOG_MAGIC.byteLength).equals(UPDATE_LOG_MAGIC)) {
      throw new Error(`${path} is not a Mixroom update log (bad header); refusing to touch it`);
    }
    const { payloads, validBytes } = decodeRecords(bytes, UPDATE_LOG_MAGIC.byteLength);
    const discardedBytes = bytes.byteLength - validBytes;
    if (discardedBytes > 0) {
      await writeFile(`${path}.discarded-${validBytes}`, bytes.subarray(validBytes), { flush: true });
      await truncate(path, validBytes);
      const fixed = await open(path, 'r+');
      try {
        await fixed.sync();
      } finally {
        await fixed.close();
      }
    }
    const handle = await open(path, flags);
    return {
      log: new UpdateLog(handle, validBytes - UPDATE_LOG_MAGIC.byteLength, durable),
      updates: payloads,
      discardedBytes,
    };
  }

  /** Bytes of records currently in the log (excluding the header). */
  get bytes(): number {
    return this.recordBytes;
  }

  /** Appends the updates as records; a durable log returns once they are on disk (O_DSYNC). */
  async append(updates: readonly Uint8Array[]): Promise<void> {
    if (updates.length === 0) return;
    const buffer = encodeRecords(updates);
    let written = 0;
    while (written < buffer.byteLength) {
      // A lazy append only copies into the page cache: done in place, without a round trip
      // through the thread pool (which the write-ahead log's flushes need).
      written += this.durable ? (await this.handle.write(buffer, written)).bytesWritten : writeSync(this.handle.fd, buffer, written);
    }
    this.recordBytes += buffer.byteLength;
    // Set after the write: a `sync` that started before it does not count for it.
    if (!this.durable) this.dirty = true;
  }

  /** Flushes lazy appends to disk (fdatasync); nothing to do for a durable or closed log. */
  async sync(): Promise<void> {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    try {
      await this.handle.datasync();
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  /** Drops every record (keeps the header). Only call once their content is stored elsewhere. */
  async truncate(): Promise<void> {
    await this.handle.truncate(UPDATE_LOG_MAGIC.byteLength);
    await this.handle.datasync();
    this.recordBytes = 0;
  }

  /** Flushes lazy appends, then releases the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.sync();
    } finally {
      this.closed = true;
      await this.handle.close();
    }
  }
}
