import type { Redis } from 'ioredis';
import type { Logger } from '../../log/Logger.ts';
import { parseEntry, type StreamEntry } from './readRoomState.ts';

type Listener = (entries: readonly StreamEntry[]) => void;

interface Subscription {
  lastId: string;
  readonly listener: Listener;
}

/** Entries per stream per read; a busy room gets the rest on the next turn of the loop. */
const COUNT = 1000;
/** Longest a read blocks; a change of the subscribed set interrupts it at once (CLIENT UNBLOCK). */
const BLOCK_MS = 5000;

/**
 * This node's one reader of room streams: a loop of `XREAD BLOCK` over the streams of every
 * room open here, from the last id each has seen (the y-redis pattern). Opening or closing a
 * room interrupts a blocked read with `CLIENT UNBLOCK` from the command connection, so a new
 * room is read without waiting out the block. The reader connection does nothing else.
 */
export class StreamSubscriber {
  private readonly subs = new Map<string, Subscription>();
  private readerId: number | null = null;
  private blocked = false;
  /** Counts reads, so a late retry of UNBLOCK never interrupts a newer read. */
  private reads = 0;
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly reader: Redis,
    private readonly control: Redis,
    private readonly logger: Logger,
  ) {
    // The connection id changes with every reconnect.
    reader.on('ready', () => {
      this.readerId = null;
    });
    this.loop = this.run();
  }

  /** Delivers entries of `stream` after `fromId` to `listener`, in order. Returns the disposer. */
  subscribe(stream: string, fromId: string, listener: Listener): () => void {
    if (this.subs.has(stream)) throw new Error(`stream ${stream} is already subscribed`);
    const sub = { lastId: fromId, listener };
    this.subs.set(stream, sub);
    this.interrupt();
    return () => {
      if (this.subs.get(stream) !== sub) return;
      this.subs.delete(stream);
      this.interrupt();
    };
  }

  /** After Redis lost its data, new stream ids may start anywhere: read every stream from the start. */
  rewindAll(): void {
    for (const sub of this.subs.values()) sub.lastId = '0-0';
    this.interrupt();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.interrupt();
    await this.loop;
  }

  private interrupt(): void {
    if (this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake();
      return;
    }
    if (!this.blocked || this.readerId === null) return;
    const read = this.reads;
    const unblock = (retry: boolean): void => {
      if (!this.blocked || this.reads !== read || this.readerId === null) return;
      this.control.client('UNBLOCK', this.readerId).then(
        // The UNBLOCK can overtake the XREAD it means (two connections): try once more.
        (n) => {
          if (Number(n) === 0 && retry) setTimeout(() => unblock(false), 20).unref();
        },
        (error: unknown) => this.logger.warn('could not interrupt the stream reader', { error: String(error) }),
      );
    };
    unblock(true);
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.subs.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const streams = [...this.subs];
      try {
        if (this.readerId === null) this.readerId = Number(await this.reader.client('ID'));
        if (this.closed) break;
        this.blocked = true;
        this.reads += 1;
        const reply = await this.reader.xreadBuffer(
          'COUNT',
          COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...streams.map(([key]) => key),
          ...streams.map(([, sub]) => sub.lastId),
        );
        this.blocked = false;
        for (const [keyBuf, rawEntries] of reply ?? []) {
          const sub = this.subs.get(keyBuf.toString());
          if (!sub || rawEntries.length === 0) continue;
          const entries: StreamEntry[] = [];
          for (const [idBuf, fields] of rawEntries) {
            const id = idBuf.toString();
            const entry = parseEntry(id, fields);
            if (entry) entries.push(entry);
            else this.logger.error('unreadable sync stream entry skipped', { stream: keyBuf.toString(), id });
          }
          sub.lastId = rawEntries[rawEntries.length - 1]![0].toString();
          try {
            sub.listener(entries);
          } catch (error) {
            this.logger.error('sync stream listener failed', { stream: keyBuf.toString(), error: String(error) });
          }
        }
      } catch (error) {
        this.blocked = false;
        if (this.closed) break;
        this.logger.warn('sync stream read failed; retrying', { error: String(error) });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
