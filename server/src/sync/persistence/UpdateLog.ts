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

/**
 * A lazy log holds its appends in memory up to this many bytes, then writes them in one call:
 * a busy room appends every tick, and a write per append (a syscall on the event loop, which
 * blocks while the kernel throttles dirty pages) was 3% of a loaded node's busy samples.
 */
export const LAZY_WRITE_BYTES = 64 * 1024;

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
 * write (data on disk when it returns). Lazy: appends are held in memory and written in one plain
 * write per {@link LAZY_WRITE_BYTES}, and by `sync` and `close`, which also flush them to disk
 * (their durability until then is the write-ahead log's, which keeps a segment until a `sync`
 * of every log it covers succeeded).
 *
 * On open, a torn or corrupt tail is detected (see `LogRecord`), copied to a
 * `.discarded-<offset>` file beside the log for inspection, and cut off, so that later appends
 * never land behind garbage that would hide them on the next load.
 */
export class UpdateLog {
  /** Lazy appends not yet flushed by `sync`. */
  private dirty = false;
  private closed = false;
  /** Lazy appends not written to the file yet, oldest first (a failed write keeps what it did not write). */
  private held: Buffer[] = [];
  private heldBytes = 0;

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
    if (!this.durable) {
      this.held.push(buffer);
      this.heldBytes += buffer.byteLength;
      this.recordBytes += buffer.byteLength;
      this.dirty = true;
      if (this.heldBytes >= LAZY_WRITE_BYTES) this.writeHeld();
      return;
    }
    let written = 0;
    while (written < buffer.byteLength) written += (await this.handle.write(buffer, written)).bytesWritten;
    this.recordBytes += buffer.byteLength;
  }

  /** Bytes appended to a lazy log and not written to its file yet. */
  get unwrittenBytes(): number {
    return this.heldBytes;
  }

  /**
   * Writes the held appends (into the page cache: done in place, without a round trip through
   * the thread pool, which the write-ahead log's flushes need). On failure what was not written
   * stays held, so a retry continues exactly where the file ends.
   */
  private writeHeld(): void {
    if (this.heldBytes === 0) return;
    const buffer = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held, this.heldBytes);
    let written = 0;
    try {
      while (written < buffer.byteLength) written += writeSync(this.handle.fd, buffer, written);
    } finally {
      const rest = buffer.subarray(written);
      this.held = rest.byteLength > 0 ? [rest] : [];
      this.heldBytes = rest.byteLength;
    }
  }

  /** Flushes lazy appends to disk (fdatasync); nothing to do for a durable or closed log. */
  async sync(): Promise<void> {
    // A log closed with appends it could not write must not pass for flushed (see LocalRoomStore).
    if (this.closed && this.heldBytes > 0) throw new Error(`a closed room log still holds ${this.heldBytes} bytes it could not write`);
    if (!this.dirty || this.closed) return;
    this.writeHeld();
    // Cleared after the write: appends made while the flush below runs stay dirty.
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
    this.held = [];
    this.heldBytes = 0;
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
