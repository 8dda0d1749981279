import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../http/ApiError.ts';
import { clientIp } from './clientIp.ts';
import { RATE_ACTIONS, type LimitSettings, type RateAction } from './LimitSettings.ts';

const WORDS: Record<RateAction, string> = {
  createRoom: 'rooms created',
  join: 'joins',
  uploadStart: 'uploads started',
  bake: 'bakes requested',
  comment: 'comments and replies',
};

/** Rate limits for costly actions and the open-socket cap per user. */
export interface RateLimits {
  /**
   * Counts one `action` against the request's IP and, when known, its user; throws a 429
   * `rate-limited` with `Retry-After` (seconds) when either is over its limit.
   */
  take(action: RateAction, c: Context, userId: string | null): Promise<void>;
  /** Counts an action that already happened against `userId` (a visitor's first, signed in by it). */
  charge(action: RateAction, userId: string): Promise<void>;
  /** Counts an open socket of `userId`: its release function, or null at the limit. */
  openSocket(userId: string): (() => void) | null;
}

/**
 * In-memory limiters from rate-limiter-flexible (fixed windows per key). One process holds
 * the counts; several nodes would swap in its Redis limiter with the same calls.
 */
export function createRateLimits(settings: LimitSettings): RateLimits {
  const limiters = Object.fromEntries(
    RATE_ACTIONS.map((action) => {
      const { perUser, perIp } = settings.rates[action];
      const make = (rate: typeof perUser, prefix: string) =>
        new RateLimiterMemory({ keyPrefix: `${action}:${prefix}`, points: rate.points, duration: Math.ceil(rate.windowMs / 1000) });
      return [action, { user: make(perUser, 'user'), ip: make(perIp, 'ip') }];
    }),
  ) as Record<RateAction, { user: RateLimiterMemory; ip: RateLimiterMemory }>;
  const sockets = new Map<string, number>();

  const refuse = (action: RateAction, who: 'account' | 'network', res: RateLimiterRes): never => {
    const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw new ApiError('rate-limited', `Too many ${WORDS[action]} from your ${who}; try again in ${seconds} s.`, { headers: { 'retry-after': String(seconds) } });
  };
  const consume = async (limiter: RateLimiterMemory, key: string): Promise<RateLimiterRes | null> => {
    try {
      await limiter.consume(key);
      return null;
    } catch (error) {
      if (error instanceof RateLimiterRes) return error;
      throw error;
    }
  };

  return {
    async take(action, c, userId) {
      const ip = clientIp(getConnInfo(c).remote.address, c.req.header('x-forwarded-for'), settings.trustProxyHops);
      const byIp = await consume(limiters[action].ip, ip);
      if (byIp) refuse(action, 'network', byIp);
      if (userId !== null) {
        const byUser = await consume(limiters[action].user, userId);
        if (byUser) refuse(action, 'account', byUser);
      }
    },
    async charge(action, userId) {
      await limiters[action].user.penalty(userId, 1);
    },
    openSocket(userId) {
      const open = sockets.get(userId) ?? 0;
      if (open >= settings.maxSocketsPerUser) return null;
      sockets.set(userId, open + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (sockets.get(userId) ?? 1) - 1;
        if (left > 0) sockets.set(userId, left);
        else sockets.delete(userId);
      };
    },
  };
}
