import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import type { Logger } from '../../log/Logger.ts';
import type { RoomStore } from '../persistence/RoomStore.ts';
import { ClusterChannels } from './ClusterChannels.ts';
import { RedisRoomStore } from './RedisRoomStore.ts';
import { RoomCompactor } from './RoomCompactor.ts';
import { S3Snapshots } from './S3Snapshots.ts';
import { StreamSubscriber } from './StreamSubscriber.ts';
import type { SyncClusterSettings } from './SyncClusterSettings.ts';
import { syncKeys } from './SyncKeys.ts';

/** The sync side of one cluster node. */
export interface SyncCluster {
  readonly store: RoomStore;
  readonly compactor: RoomCompactor;
  /**
   * Readiness (a node cut off from Redis takes no sockets): resolves when every connection is
   * up and the command and pub/sub ones answer a PING.
   */
  ping(): Promise<void>;
  /** True for exactly one caller across the cluster, ever (one-time set-up such as seeding the demo). */
  claimOnce(task: string): Promise<boolean>;
  /** Stops the compactor and the readers, closes the Redis connections. Rooms must be closed first. */
  close(): Promise<void>;
}

/** Thrown at boot when Redis is not configured for the durability the settings promise. */
export class RedisDurabilityError extends Error {
  override readonly name = 'RedisDurabilityError';
}

/**
 * Connects a node to the cluster's Redis (three connections: commands, the blocking stream
 * reader, pub/sub) and S3 snapshots, and checks that Redis keeps the durability promise:
 * with `SYNC_DURABILITY=aof-always` a node refuses to start unless Redis runs with
 * `appendonly yes` and `appendfsync always`.
 */
export async function openSyncCluster(options: {
  readonly redisUrl: string;
  /** This process in logs and stream entries (`NODE_ID`). */
  readonly nodeId: string;
  readonly settings: SyncClusterSettings;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly logger: Logger;
}): Promise<SyncCluster> {
  const { settings, logger, nodeId } = options;
  const connect = (role: string): Redis => {
    const redis = new Redis(options.redisUrl, {
      // Appends wait out a Redis outage (nothing is relayed meanwhile) instead of failing rooms.
      maxRetriesPerRequest: null,
      connectionName: `mixroom-sync-${role}-${nodeId}`,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
      lazyConnect: true,
    });
    let down = false;
    redis.on('error', (error: Error) => {
      if (down) return;
      down = true;
      logger.warn('redis connection error', { role, error: error.message });
    });
    redis.on('ready', () => {
      if (!down) return;
      down = false;
      logger.info('redis connection restored', { role });
    });
    return redis;
  };
  const redis = connect('commands');
  const reader = connect('stream-reader');
  const pubsub = connect('pubsub');
  const connections = [redis, reader, pubsub];
  try {
    await Promise.all(connections.map((c) => c.connect()));
    await checkDurability(redis, settings.durability, logger);
  } catch (error) {
    for (const c of connections) c.disconnect();
    throw error;
  }

  const keys = syncKeys(settings.redisPrefix);
  const snapshots = new S3Snapshots(options.s3, options.bucket);
  const subscriber = new StreamSubscriber(reader, redis, logger);
  const channels = new ClusterChannels(pubsub, redis, logger);

  // Without the append-only file, a restarted Redis has lost what it held since its last save:
  // every node then appends the rooms it has open again (a new epoch value tells us).
  const lostListeners = new Set<() => void>();
  let epoch = await claimEpoch(redis, keys.epoch);
  redis.on('ready', () => {
    void claimEpoch(redis, keys.epoch).then((now) => {
      if (now === epoch) return;
      epoch = now;
      logger.warn('redis restarted without our data; rewriting every open room', { rooms: lostListeners.size });
      for (const listener of [...lostListeners]) listener();
    });
  });

  const store = new RedisRoomStore({
    redis,
    keys,
    snapshots,
    subscriber,
    channels,
    logger,
    nodeId,
    compactAfterMs: settings.compactAfterMs,
    onStoreLost: (listener) => {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
  });
  const compactor = new RoomCompactor({
    redis,
    keys,
    snapshots,
    logger,
    compactAfterMs: settings.compactAfterMs,
    streamMinLifetimeMs: settings.streamMinLifetimeMs,
  });
  if (settings.compactor) compactor.start();
  logger.info('sync cluster connected', { nodeId, durability: settings.durability, compactor: settings.compactor });

  return {
    store,
    compactor,
    async ping() {
      if (!connections.every((c) => c.status === 'ready')) throw new Error('a Redis connection is down');
      // (the stream reader is blocked in XREAD; its status says enough)
      await Promise.all([redis.ping(), pubsub.ping()]);
    },
    claimOnce: async (task) => (await redis.set(`${settings.redisPrefix}:once:${task}`, nodeId, 'NX')) === 'OK',
    close: async () => {
      await compactor.close();
      await subscriber.close();
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

async function checkDurability(redis: Redis, durability: SyncClusterSettings['durability'], logger: Logger): Promise<void> {
  let appendonly: string | undefined;
  let appendfsync: string | undefined;
  try {
    appendonly = ((await redis.config('GET', 'appendonly')) as string[])[1];
    appendfsync = ((await redis.config('GET', 'appendfsync')) as string[])[1];
  } catch (error) {
    if (durability === 'aof-always') {
      throw new RedisDurabilityError(
        `cannot read Redis's persistence settings (${String(error)}); SYNC_DURABILITY=aof-always needs appendonly yes and appendfsync always`,
      );
    }
  }
  const always = appendonly === 'yes' && appendfsync === 'always';
  if (durability === 'aof-always' && !always) {
    throw new RedisDurabilityError(
      `Redis runs with appendonly=${appendonly} appendfsync=${appendfsync}: an update could be relayed and then lost. ` +
        'Run Redis with appendonly yes and appendfsync always, or set SYNC_DURABILITY=none to accept a bounded loss (see README)',
    );
  }
  if (durability === 'none' && !always) {
    logger.warn('Redis may lose acknowledged room updates on a crash (SYNC_DURABILITY=none)', { appendonly, appendfsync });
  }
}

/** The dataset's epoch value, set if missing. */
async function claimEpoch(redis: Redis, key: string): Promise<string> {
  await redis.set(key, randomUUID(), 'NX');
  return (await redis.get(key)) ?? '';
}
