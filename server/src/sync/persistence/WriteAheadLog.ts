import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log/Logger.ts';
import { decodeRecords } from './LogRecord.ts';
import { UPDATE_LOG_MAGIC, UpdateLog } from './UpdateLog.ts';
import { fsyncDirectory } from './fsyncDirectory.ts';

/** Updates of one room read back from the write-ahead log, in the order they were written. */
export type WalEntries = Map<string, Uint8Array[]>;

export interface WriteAheadLogOptions {
  /** A segment past this many bytes is retired and a new one begun. */
  readonly segmentBytes: number;
  /**
   * Makes every room log durable that was written before the call (fdatasync of each dirty
   * log). A retired segment is deleted once this resolves: all it held is then in room logs.
   */
  readonly checkpoint: () => Promise<void>;
  readonly logger: Logger;
}

interface Waiting {
  readonly records: Uint8Array[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Segment files: `wal-<sequence>.log`, sequence zero-padded so names sort in write order. */
const SEGMENT = /^wal-([0-9]{12})\.log$/;
const segmentName = (seq: number) => `wal-${String(seq).padStart(12, '0')}.log`;

/**
 * One log for every room of the node, so a tick's updates of all rooms become durable in one
 * write (O_DSYNC): group commit across rooms. Each room log (UpdateLog, lazy) gets the same
 * updates first, in the page cache; the room relays them once this log has them on disk.
 *
 * Records are `u16le room id length | room id | update`, framed and checksummed like a room
 * log (an UpdateLog file). A segment past `segmentBytes` is retired: the room logs written
 * so far are fdatasynced (`checkpoint`), then the segment is deleted. At boot, whatever
 * segments remain (a crash left them) are handed to `replay`, which appends them to the room
 * logs durably; then they are deleted. Yjs updates are idempotent, so a record that already
 * reached its room log merely applies twice.
 *
 * With an O_DSYNC log per room instead, 20 busy rooms made 20 disk flushes per tick, queued
 * four at a time on the libuv thread pool (p50 append 12-38 ms on the loaded bench machine).
 */
export class WriteAheadLog {
  private waiting: Waiting[] = [];
  private writing = false;
  private checkpoints: Promise<void> = Promise.resolve();
  /** Set by `close`: appends fail from then on. */
  private failure: Error | null = null;
  /** A write failed: the next one starts a fresh segment (a torn record would hide it on replay). */
  private torn = false;

  private constructor(
    private readonly dir: string,
    private segment: UpdateLog,
    private seq: number,
    private readonly options: WriteAheadLogOptions,
  ) {}

  /**
   * Replays the segments a previous run left (see class doc), deletes them, and starts a new
   * segment. `replay` must make what it is given durable before it resolves.
   */
  static async open(dir: string, replay: (entries: WalEntries) => Promise<void>, options: WriteAheadLogOptions): Promise<WriteAheadLog> {
    await mkdir(dir, { recursive: true });
    const found = (await readdir(dir))
      .map((f) => SEGMENT.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const entries: WalEntries = new Map();
    for (const seq of found) {
      // Read as is, no repair: the segment is deleted once replayed. A torn tail is a write the
      // crash interrupted, never acknowledged.
      const bytes = await readFile(join(dir, segmentName(seq)));
      if (bytes.byteLength < UPDATE_LOG_MAGIC.byteLength) continue;
      if (!bytes.subarray(0, UPDATE_LOG_MAGIC.byteLength).equals(UPDATE_LOG_MAGIC)) {
        throw new Error(`${join(dir, segmentName(seq))} is not a Mixroom log (bad header); refusing to touch it`);
      }
      const { payloads, validBytes } = decodeRecords(bytes, UPDATE_LOG_MAGIC.byteLength);
      if (validBytes < bytes.byteLength) {
        options.logger.warn('write-ahead log segment had a torn tail; ignored it', { segment: segmentName(seq), discardedBytes: bytes.byteLength - validBytes });
      }
      for (const record of payloads) {
        const decoded = decodeEntry(record);
        if (decoded === null) {
          options.logger.error('write-ahead log record is malformed; skipped', { segment: segmentName(seq) });
          continue;
        }
        const list = entries.get(decoded.roomId);
        if (list) list.push(decoded.update);
        else entries.set(decoded.roomId, [decoded.update]);
      }
    }
    if (entries.size > 0) {
      options.logger.info('replaying the write-ahead log into room logs', { segments: found.length, rooms: entries.size });
      await replay(entries);
    }
    // Everything replayed is durable in room logs: the segments can go.
    for (const seq of found) await rm(join(dir, segmentName(seq)), { force: true });
    const seq = (found.at(-1) ?? 0) + 1;
    const { log } = await UpdateLog.open(join(dir, segmentName(seq)));
    return new WriteAheadLog(dir, log, seq, options);
  }

  /** Appends one room's updates; resolves once they are on disk (with every room's of the same tick). */
  append(roomId: string, updates: readonly Uint8Array[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (updates.length === 0) return Promise.resolve();
    const id = Buffer.from(roomId, 'utf8');
    const records = updates.map((update) => encodeEntry(id, update));
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      // In the check phase: every room that appends during this turn of the loop joins the write.
      setImmediate(() => void this.writeLoop());
    });
  }

  /**
   * Waits for pending writes, checkpoints, and deletes the segment (every room log must be
   * closed, hence flushed, by then). Appends after this fail.
   */
  async close(): Promise<void> {
    while (this.writing) await new Promise((r) => setImmediate(r));
    this.failure ??= new Error('write-ahead log closed');
    await this.checkpoints;
    await this.segment.close();
    await this.options.checkpoint();
    await rm(join(this.dir, segmentName(this.seq)), { force: true });
  }

  private async writeLoop(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        if (this.torn) {
          await this.rotate();
          this.torn = false;
        }
        await this.segment.append(batch.flatMap((w) => w.records));
      } catch (error) {
        // The rooms of this batch fail (and reload); later appends try again.
        this.torn = true;
        this.options.logger.error('write-ahead log write failed', { error: String(error) });
        for (const w of batch) w.reject(error as Error);
        continue;
      }
      for (const w of batch) w.resolve();
      if (this.segment.bytes >= this.options.segmentBytes) {
        // Not fatal either: the segment only grows until a later rotation works.
        await this.rotate().catch((error: unknown) => this.options.logger.error('write-ahead log rotation failed', { error: String(error) }));
      }
    }
    this.writing = false;
  }

  /** Starts the next segment; the retired one is deleted once a checkpoint covered it. */
  private async rotate(): Promise<void> {
    const retired = this.segment;
    const retiredName = segmentName(this.seq);
    const { log } = await UpdateLog.open(join(this.dir, segmentName(this.seq + 1)));
    this.segment = log;
    this.seq += 1;
    this.checkpoints = this.checkpoints.then(async () => {
      try {
        await retired.close();
        // Room logs got each record before it was queued here, so all of the retired segment is in them.
        await this.options.checkpoint();
        await rm(join(this.dir, retiredName), { force: true });
        await fsyncDirectory(this.dir);
      } catch (error) {
        // Kept: it replays at the next boot, which is harmless.
        this.options.logger.error('write-ahead log checkpoint failed; segment kept', { segment: retiredName, error: String(error) });
      }
    });
  }
}

/** Room ids are short (shared/protocol); the u16 length bounds them anyway. */
function encodeEntry(roomId: Buffer, update: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(2 + roomId.byteLength + update.byteLength);
  out.writeUInt16LE(roomId.byteLength, 0);
  roomId.copy(out, 2);
  out.set(update, 2 + roomId.byteLength);
  return out;
}

function decodeEntry(record: Uint8Array): { roomId: string; update: Uint8Array } | null {
  if (record.byteLength < 2) return null;
  const buf = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const idBytes = buf.readUInt16LE(0);
  if (idBytes === 0 || 2 + idBytes > buf.byteLength) return null;
  return { roomId: buf.toString('utf8', 2, 2 + idBytes), update: record.subarray(2 + idBytes) };
}
