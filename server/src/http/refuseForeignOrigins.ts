import { createMiddleware } from 'hono/factory';
import { ApiError } from './ApiError.ts';
import { originHeadersOf, type OriginPolicy } from './OriginPolicy.ts';

/** Methods that cannot change state; everything else must come from our own origin. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Refuses (403 `cross-origin`) every non-GET/HEAD request the {@link OriginPolicy} refuses. */
export function refuseForeignOrigins(policy: OriginPolicy) {
  return createMiddleware(async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const refusal = policy.check(originHeadersOf(c.req.raw.headers));
      if (refusal !== null) throw new ApiError('cross-origin', refusal);
    }
    await next();
  });
}
