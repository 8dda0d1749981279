import type { Hono } from 'hono';
import { hasBearerToken } from './hasBearerToken.ts';
import type { Metrics } from './Metrics.ts';

/**
 * `GET /metrics` in Prometheus text format, for a scraper holding the bearer token
 * (`METRICS_TOKEN`). Without a configured token the route does not exist (404): metrics name
 * rooms' load and the deployment's shape, so they are never public by default.
 */
export function mountMetricsRoute(app: Hono, metrics: Metrics, token: string | null): void {
  if (token === null) return;
  app.get('/metrics', async (c) => {
    if (!hasBearerToken(c.req.header('authorization'), token)) {
      return c.text('Unauthorized\n', 401, { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  });
}
