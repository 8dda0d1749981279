import type { Redis } from 'ioredis';
import { BAKE_KEY_PREFIX } from './BakeJobData.ts';

/**
 * Per-room running-bake slots shared by every worker: a sorted set per room of job ids
 * scored by lease expiry (Redis's own clock, so workers' clocks do not matter). A slot whose
 * worker died expires; the same job retried elsewhere takes its own slot back at once.
 */
const ACQUIRE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], nowMs + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl * 2)
  return 1
end
return 0
`;
/** Extends a slot this job still holds; 0 when it expired and someone else may have it. */
const RENEW = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local ttl = tonumber(ARGV[2])
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) < nowMs then return 0 end
redis.call('ZADD', KEYS[1], nowMs + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl * 2)
return 1
`;

export interface RoomBakeSlots {
  /** Takes one of the room's slots for `jobId` (or keeps the one it has); false when all are taken. */
  acquire(roomId: string, jobId: string): Promise<boolean>;
  renew(roomId: string, jobId: string): Promise<boolean>;
  release(roomId: string, jobId: string): Promise<void>;
  /** Running bakes of a room (tests, metrics). */
  count(roomId: string): Promise<number>;
}

export function createRoomBakeSlots(redis: Redis, options: { limit: number; ttlMs: number }): RoomBakeSlots {
  const key = (roomId: string) => `${BAKE_KEY_PREFIX}:running:${roomId}`;
  return {
    acquire: async (roomId, jobId) => (await redis.eval(ACQUIRE, 1, key(roomId), jobId, options.ttlMs, options.limit)) === 1,
    renew: async (roomId, jobId) => (await redis.eval(RENEW, 1, key(roomId), jobId, options.ttlMs)) === 1,
    release: async (roomId, jobId) => {
      await redis.zrem(key(roomId), jobId);
    },
    count: async (roomId) => {
      const [seconds, micros] = await redis.time();
      return redis.zcount(key(roomId), Number(seconds) * 1000 + Math.floor(Number(micros) / 1000), '+inf');
    },
  };
}
