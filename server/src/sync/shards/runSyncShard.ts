import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import * as Y from 'yjs';
import { parseSyncDocName } from '@mixroom/shared/review';
import type { RoomId } from '@mixroom/shared/protocol';
import { parseConfig } from '../../config/Config.ts';
import { parseLimitSettings } from '../../limits/LimitSettings.ts';
import { createJsonLogger, type Logger } from '../../log/Logger.ts';
import { mixRoomHooks } from '../../rooms/mixRoomHooks.ts';
import type { Identity } from '../Authorize.ts';
import { createRoomRegistry } from '../createRoomRegistry.ts';
import { LocalRoomStore } from '../persistence/LocalRoomStore.ts';
import { RoomFullError } from '../Room.ts';
import type { RoomRegistry } from '../RoomRegistry.ts';
import { createSyncSocketServer, type SyncSocketServer } from '../SyncSocketServer.ts';
import { ShardChannel, type IpcEnd } from './ShardChannel.ts';
import { TO_SHARD, type ToShard } from './ShardProtocol.ts';
import { shardOf, shardWalDirName } from './shardOf.ts';

/** Relay/wake observations kept between two stats reports (metrics), at most. */
const MAX_OBSERVATIONS = 10_000;
const STATS_INTERVAL_MS = 1000;

interface RunningShard {
  readonly rooms: RoomRegistry;
  readonly sockets: SyncSocketServer;
  readonly identities: WeakMap<IncomingMessage, Identity>;
}

/**
 * One sync shard: a child process of the primary owning the rooms whose id hashes to it
 * (see shardOf). It runs today's room code unchanged (RoomRegistry, handleSyncConnection)
 * over its own write-ahead log, on sockets the primary authorised and handed over; the
 * primary reaches its room docs through the `state`/`apply` requests (see SyncShards).
 */
export function runSyncShard(parent: IpcEnd & { on(event: 'disconnect', listener: () => void): unknown }): void {
  const write = (line: string) => process.stdout.write(line);
  let logger: Logger = createJsonLogger('info', write);
  let shard: Promise<RunningShard> | null = null;
  let owns: (docId: string) => boolean = () => false;
  const running = (): Promise<RunningShard> => shard ?? Promise.reject(new Error('sync shard not initialised'));
  const ownedDoc = (docId: string): RoomId => {
    if (parseSyncDocName(docId) === null || !owns(docId)) throw new Error(`room ${docId.slice(0, 80)} is not this shard's`);
    return docId as RoomId;
  };

  const channel: ShardChannel<ToShard> = new ShardChannel(
    parent,
    TO_SHARD,
    {
      state: async ({ docId, stateVector, grows }) => {
        const { rooms } = await running();
        const lease = await rooms.acquire(ownedDoc(docId));
        try {
          const { room } = lease;
          if (grows !== undefined && !room.hasRoomFor(grows)) throw new RoomFullError(room.maxRoomBytes!);
          const update = Y.encodeStateAsUpdate(room.doc, stateVector);
          // What the primary reads is durable, like what withRoom hands out.
          await room.whenDurable();
          return { update };
        } finally {
          lease.release();
        }
      },
      apply: async ({ docId, update, actor }) => {
        const { rooms } = await running();
        await rooms.withRoom(ownedDoc(docId), (doc, origin) => Y.applyUpdate(doc, update, origin), { actor });
        return null;
      },
      close: async () => {
        const { rooms, sockets } = await running();
        // Everything received is durable and relayed before the sockets go (clients reconnect).
        await rooms.flush();
        sockets.close();
        await rooms.close();
        await store?.stop();
        return null;
      },
    },
    (message, handle) => {
      if (message.t === 'init') {
        if (shard) return;
        owns = (docId) => shardOf(docId, message.count) === message.index;
        shard = boot(message.env, message.index);
        shard.then(
          () => channel.send({ t: 'ready' }),
          (error: unknown) => {
            logger.error('sync shard failed to start', { error: String(error) });
            process.exit(1);
          },
        );
        return;
      }
      if (message.t === 'recheckPeers') return void running().then(({ rooms }) => rooms.recheckPeers());
      if (message.t === 'socket') {
        if (!(handle instanceof Socket)) return logger.error('sync shard: socket message without a socket', { socketId: message.socketId });
        const socket = handle;
        const { socketId } = message;
        socket.once('close', () => channel.send({ t: 'socketClosed', socketId }));
        running().then(
          (s) => accept(s, message, socket),
          () => socket.destroy(),
        );
      }
    },
    logger,
  );

  let store: LocalRoomStore | null = null;
  const boot = async (env: Record<string, string>, index: number): Promise<RunningShard> => {
    const config = parseConfig(env);
    const limits = parseLimitSettings(env);
    logger = createJsonLogger(config.logLevel, write, { shard: index });
    store = new LocalRoomStore(config.dataDir, logger, { walDirName: shardWalDirName(index) });
    // Replays whatever a kill left in this shard's write-ahead log before any room loads.
    await store.start();
    const relaySeconds: number[] = [];
    const wakeSeconds: number[] = [];
    const rooms = createRoomRegistry(config, {
      store,
      logger,
      maxRoomBytes: limits.maxRoomBytes,
      observeRelay: (s) => void (relaySeconds.length < MAX_OBSERVATIONS && relaySeconds.push(s)),
      observeWake: (s) => void (wakeSeconds.length < MAX_OBSERVATIONS && wakeSeconds.push(s)),
      ...mixRoomHooks((roomId) => channel.request('roomTitle', { roomId }), logger),
    });
    const identities = new WeakMap<IncomingMessage, Identity>();
    const sockets = createSyncSocketServer({
      rooms,
      // Checked by the primary before the hand-over (session, role, Origin, socket cap).
      authorize: async (request) => identities.get(request) ?? null,
      logger,
      maxMessageBytes: config.maxMessageBytes,
      maxSocketBufferBytes: config.maxSocketBufferBytes,
      pingIntervalMs: config.pingIntervalMs,
      deflate: config.syncDeflate,
      writePacing: config.syncWritePacing,
      directFrames: config.syncDirectFrames,
    });
    setInterval(() => {
      channel.send({
        t: 'stats',
        rooms: rooms.size,
        hibernating: rooms.hibernatingCount,
        sockets: rooms.peerCount,
        relaySeconds: relaySeconds.splice(0),
        wakeSeconds: wakeSeconds.splice(0),
      });
    }, STATS_INTERVAL_MS).unref();
    return { rooms, sockets, identities };
  };

  const accept = ({ sockets, identities }: RunningShard, message: Extract<ToShard, { t: 'socket' }>, socket: Socket): void => {
    const request = { url: message.url, method: message.method, headers: message.headers } as unknown as IncomingMessage;
    const { userId, name, role, recheckable } = message.identity;
    const recheck = () => channel.request('recheck', { socketId: message.socketId });
    identities.set(request, { userId, name, role, ...(recheckable ? { recheck } : {}) });
    sockets.accept(request, socket, Buffer.from(message.head));
  };

  // The primary is gone: a new one will start new shards on the same files, so this one
  // must not live on beside them. What it relayed is durable already.
  parent.on('disconnect', () => process.exit(0));
}
