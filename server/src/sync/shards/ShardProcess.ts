import { fork, type ChildProcess } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../log/Logger.ts';
import type { Identity } from '../Authorize.ts';
import { ShardChannel } from './ShardChannel.ts';
import { FROM_SHARD, type FromShard, type ShardOp, type ShardOpBody, type ShardResult } from './ShardProtocol.ts';

const ENTRY = fileURLToPath(new URL('./syncShard.entry.ts', import.meta.url));
/** A shard that lived this long before dying is restarted at once; one dying sooner waits longer each time. */
const HEALTHY_RUN_MS = 10_000;
const MAX_RESTART_DELAY_MS = 5000;

export interface ShardStats {
  readonly rooms: number;
  readonly hibernating: number;
  readonly sockets: number;
}
const NO_STATS: ShardStats = { rooms: 0, hibernating: 0, sockets: 0 };

export interface ShardProcessOptions {
  readonly index: number;
  readonly count: number;
  /** The settings the shard parses (DATA_DIR, limits, ...): the primary's own environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** See ShardProtocol `roomTitle`. */
  readonly roomTitle: (roomId: string) => Promise<string | null>;
  readonly onObservations: (relaySeconds: readonly number[], wakeSeconds: readonly number[]) => void;
}

interface HandedSocket {
  readonly identity: Identity;
  readonly release: (() => void) | null;
}

/**
 * One sync shard child process as the primary sees it: forked with tsx's loader and Node's
 * `advanced` IPC serialization (bytes cross as they are), restarted when it dies (its rooms
 * reload from its files and write-ahead log on their next use), and told to close on shutdown.
 * It owns the sockets handed to it: their checked identities (for rechecks) and socket-cap
 * slots stay here until the shard reports them closed, or dies.
 */
export class ShardProcess {
  private child: ChildProcess | null = null;
  private channel: ShardChannel<FromShard> | null = null;
  private ready!: Promise<void>;
  private readonly sockets = new Map<number, HandedSocket>();
  private nextSocketId = 1;
  private startedAt = 0;
  private restartDelayMs = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private closing = false;
  private exited: Promise<void> = Promise.resolve();
  stats: ShardStats = NO_STATS;
  /** Times this shard was restarted after dying (tests, logs). */
  restarts = 0;

  constructor(private readonly options: ShardProcessOptions) {}

  /** Forks the shard; resolves once it replayed its write-ahead log and takes sockets. */
  start(): Promise<void> {
    const { index, count, env, logger } = this.options;
    this.startedAt = Date.now();
    const child = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    // A send racing the child's death: its exit handler does the cleanup.
    child.on('error', (error) => logger.warn('sync shard channel error', { shard: index, error: String(error) }));
    logger.info('sync shard started', { shard: index, pid: child.pid });
    let readyNow!: () => void;
    let failed!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      readyNow = resolve;
      failed = reject;
    });
    // Requests wait on it; a shard that dies before it is ready fails them.
    this.ready.catch(() => undefined);
    const channel = new ShardChannel<FromShard>(
      child,
      FROM_SHARD,
      {
        recheck: async ({ socketId }) => {
          const handed = this.sockets.get(socketId);
          if (!handed) return null;
          return handed.identity.recheck ? await handed.identity.recheck() : handed.identity.role;
        },
        roomTitle: ({ roomId }) => this.options.roomTitle(roomId),
      },
      (message) => {
        if (message.t === 'ready') return readyNow();
        if (message.t === 'socketClosed') return this.forgetSocket(message.socketId);
        if (message.t === 'stats') {
          this.stats = { rooms: message.rooms, hibernating: message.hibernating, sockets: message.sockets };
          this.options.onObservations(message.relaySeconds, message.wakeSeconds);
        }
      },
      logger,
    );
    this.channel = channel;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        failed(new Error(`sync shard ${index} exited (${signal ?? code})`));
        channel.dispose(`sync shard ${index} exited`);
        this.stats = NO_STATS;
        // Its sockets died with it: their users' slots are free.
        for (const id of [...this.sockets.keys()]) this.forgetSocket(id);
        resolve();
        if (this.closing) return;
        const lived = Date.now() - this.startedAt;
        this.restartDelayMs = lived >= HEALTHY_RUN_MS ? 0 : Math.min(MAX_RESTART_DELAY_MS, Math.max(100, this.restartDelayMs * 2));
        logger.error('sync shard died: restarting', { shard: index, code, signal, restartInMs: this.restartDelayMs });
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          this.restarts += 1;
          void this.start().catch((error: unknown) => logger.error('sync shard restart failed', { shard: index, error: String(error) }));
        }, this.restartDelayMs);
      });
    });
    const settings: Record<string, string> = {};
    for (const [key, value] of Object.entries(env)) if (typeof value === 'string') settings[key] = value;
    channel.send({ t: 'init', env: settings, index, count });
    return this.ready;
  }

  /** The child's pid (tests kill it). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Resolves once the shard takes requests (now, or after a restart in progress). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  async request<Op extends ShardOp>(op: Op, body: ShardOpBody<Op>): Promise<ShardResult<Op>> {
    await this.ready;
    return this.channel!.request(op, body);
  }

  send(message: { t: 'recheckPeers' }): void {
    this.channel?.send(message);
  }

  /**
   * Gives an authorised upgrade request's socket to the shard, which completes the handshake.
   * Waits while the shard (re)starts; `release` frees the user's socket slot once it closes.
   */
  async handOver(request: IncomingMessage, socket: Socket, head: Buffer, identity: Identity, release: (() => void) | null): Promise<void> {
    try {
      await this.ready;
    } catch {
      release?.();
      socket.destroy();
      return;
    }
    if (socket.destroyed || !this.channel) {
      release?.();
      socket.destroy();
      return;
    }
    // Bytes the primary already read off the socket travel with it (a client sends none
    // before the handshake's answer; this only keeps a pipelining one correct).
    const early: Buffer[] = [head];
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) early.push(chunk);
    // pause() leaves a plain net.Socket's handle reading, and whatever this process reads
    // after send() is discarded: the client's first frame (sent once the shard answers the
    // handshake) could vanish and the joiner never sync. Stop reading (after the drain
    // above, which restarts it, and before any event-loop turn) so it waits for the shard.
    (socket as unknown as { _handle?: { readStop?: () => number } | null })._handle?.readStop?.();
    const socketId = this.nextSocketId++;
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(request.headers)) if (value !== undefined) headers[key] = value;
    this.sockets.set(socketId, { identity, release });
    const sent = this.channel.send(
      {
        t: 'socket',
        socketId,
        url: request.url ?? '/',
        method: request.method ?? 'GET',
        headers,
        head: Buffer.concat(early),
        identity: { userId: identity.userId, name: identity.name, role: identity.role, recheckable: identity.recheck !== undefined },
      },
      socket,
    );
    if (!sent) {
      this.forgetSocket(socketId);
      socket.destroy();
    }
  }

  /** Flushes the shard's rooms, closes its sockets (1001) and waits for it to exit; no restart. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    try {
      await this.request('close', {});
    } catch (error) {
      this.options.logger.error('sync shard did not close cleanly', { shard: this.options.index, error: String(error) });
    }
    child.kill('SIGTERM');
    await this.exited;
  }

  private forgetSocket(socketId: number): void {
    const handed = this.sockets.get(socketId);
    if (!handed) return;
    this.sockets.delete(socketId);
    handed.release?.();
  }
}
