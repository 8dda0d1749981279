import { Redis } from 'ioredis';
import type { Logger } from '../log/Logger.ts';

export interface RedisConnectionOptions {
  readonly url: string;
  /** What the connection is for, in logs (`bake-queue`, `bake-events`, `cancel-subscriber`...). */
  readonly role: string;
  readonly logger: Logger;
  /** Counts connection and command errors (the `mixroom_redis_errors_total` metric). */
  readonly onError?: (error: Error) => void;
}

/**
 * One ioredis connection. `maxRetriesPerRequest: null` is what BullMQ's blocking commands
 * need (a worker waits on Redis indefinitely, reconnecting). While Redis is down, ioredis
 * reconnects with backoff and logs every failed attempt: we log the first error of an outage
 * and the recovery, not one line per retry.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const { logger, role } = options;
  const redis = new Redis(options.url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: `mixroom-${role}`,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    options.onError?.(error);
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
}
