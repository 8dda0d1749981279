import type { z } from 'zod';
import type { Logger } from '../../log/Logger.ts';
import { RoomFullError } from '../Room.ts';
import { SHARD_OPS, SHARD_RESULTS, type ShardOp, type ShardOpBody, type ShardReply, type ShardRequest, type ShardResult } from './ShardProtocol.ts';

/** The end of an IPC channel (a ChildProcess, or `process` in the child). */
export interface IpcEnd {
  readonly connected?: boolean;
  send?(message: unknown, handle?: unknown, options?: unknown, callback?: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown, handle?: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown, handle?: unknown) => void): unknown;
}

export type ShardHandlers = { [Op in ShardOp]?: (body: ShardOpBody<Op>) => Promise<ShardResult<Op>> };

/**
 * Requests and replies over one IPC channel, both ways, each message parsed with `schema` on
 * arrival (a malformed one is logged and dropped). Requests of ops this side has no handler
 * for are answered with an error. A RoomFullError crosses as such, so the review routes still
 * answer 413 `room-full` for a room in another process.
 */
export class ShardChannel<In extends { t: string }> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; op: ShardOp }>();
  private readonly listener = (message: unknown, handle?: unknown): void => this.receive(message, handle);

  constructor(
    private readonly end: IpcEnd,
    private readonly schema: z.ZodType<In>,
    private readonly handlers: ShardHandlers,
    /** Messages that are neither requests nor replies. */
    private readonly onMessage: (message: In, handle: unknown) => void,
    private readonly logger: Logger,
  ) {
    end.on('message', this.listener);
  }

  /** False when the other side is gone (a false from Node's `send` only means queued: not a failure). */
  send(message: unknown, handle?: unknown): boolean {
    // A closed channel's send reports asynchronously (an 'error' event): check first.
    if (!this.end.send || this.end.connected === false) return false;
    try {
      if (handle === undefined) this.end.send(message);
      else this.end.send(message, handle);
      return true;
    } catch {
      // The other side is gone (ERR_IPC_CHANNEL_CLOSED): its exit is handled elsewhere.
      return false;
    }
  }

  request<Op extends ShardOp>(op: Op, body: ShardOpBody<Op>): Promise<ShardResult<Op>> {
    const id = this.nextId++;
    if (this.nextId >= 2 ** 31) this.nextId = 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, op });
      if (!this.send({ t: 'request', id, op, body })) {
        this.pending.delete(id);
        reject(new Error(`sync shard unreachable (${op})`));
      }
    });
  }

  /** Fails every request still waiting (the other side died); stops listening. */
  dispose(reason: string): void {
    this.end.off('message', this.listener);
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
  }

  private receive(raw: unknown, handle: unknown): void {
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      this.logger.error('sync shard message refused', { error: parsed.error.message.slice(0, 500) });
      return;
    }
    const message = parsed.data as In & Partial<ShardRequest | ShardReply>;
    if (message.t === 'reply') return this.settle(message as ShardReply);
    if (message.t === 'request') return void this.answer(message as ShardRequest);
    this.onMessage(message, handle);
  }

  private settle(reply: ShardReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (!reply.ok) {
      waiting.reject(reply.roomFullBytes !== undefined ? new RoomFullError(reply.roomFullBytes) : new Error(reply.error ?? `${waiting.op} failed`));
      return;
    }
    const value = SHARD_RESULTS[waiting.op].safeParse(reply.value);
    if (value.success) waiting.resolve(value.data);
    else waiting.reject(new Error(`malformed ${waiting.op} reply: ${value.error.message.slice(0, 200)}`));
  }

  private async answer(request: ShardRequest): Promise<void> {
    const { id, op } = request;
    try {
      const handler = this.handlers[op] as ((body: unknown) => Promise<unknown>) | undefined;
      if (!handler) throw new Error(`no handler for ${op}`);
      const body = SHARD_OPS[op].safeParse(request.body);
      if (!body.success) throw new Error(`malformed ${op} request: ${body.error.message.slice(0, 200)}`);
      const value = await handler(body.data);
      this.send({ t: 'reply', id, ok: true, value });
    } catch (error) {
      this.send({
        t: 'reply',
        id,
        ok: false,
        error: String(error).slice(0, 10_000),
        ...(error instanceof RoomFullError ? { roomFullBytes: error.maxRoomBytes } : {}),
      });
    }
  }
}
