import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import { ApiError } from './ApiError.ts';
import { assignRequestIds } from './assignRequestIds.ts';
import type { Readiness } from '../metrics/createReadiness.ts';
import { hasBearerToken } from '../metrics/hasBearerToken.ts';
import { limitBodies, type BodyLimitRule } from './limitBodies.ts';
import { createOriginPolicy, type OriginPolicy } from './OriginPolicy.ts';
import { refuseForeignOrigins } from './refuseForeignOrigins.ts';
import { securityHeaders, type SecurityHeadersOptions } from './securityHeaders.ts';
import type { MountRoutes, ServerServices } from './ServerServices.ts';

export interface AppOptions {
  readonly services: ServerServices;
  /** What is not ready ('draining', 'redis'...), for `/readyz`. */
  readonly readiness: Readiness;
  readonly routes: readonly MountRoutes[];
  /** Built client folder; served at `/` when it exists. */
  readonly clientDistDir: string | null;
  /** Who may send state-changing requests; defaults to the config's (port as configured). */
  readonly originPolicy?: OriginPolicy;
  /** Routes allowed a body larger than `config.maxBodyBytes`. */
  readonly bodyLimits?: readonly BodyLimitRule[];
  /** CSP and friends on every response (default: embedded store, no HSTS). */
  readonly securityHeaders?: SecurityHeadersOptions;
}

/**
 * The HTTP side: probes first, then every module's routes, then the built client with the
 * single-page-app fallback for `/room/:id` last, so no static file can shadow an API route.
 */
export function createApp({ services, readiness, routes, clientDistDir, originPolicy, bodyLimits, securityHeaders: headers }: AppOptions): Hono {
  const app = new Hono();
  const { config } = services;
  // First: every log line of the request carries its id (and room).
  app.use('*', assignRequestIds(services.logger));
  // Every refusal is an ApiError (HTTPException); anything else is a bug, answered in the same shape.
  app.onError((error) => {
    if (error instanceof HTTPException) return error.getResponse();
    services.logger.error('request failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return new ApiError('internal', 'The server failed to handle this request; please try again.').getResponse();
  });
  // Outermost, so refusals carry them too: CSP, nosniff, no framing, no referrer.
  app.use('*', securityHeaders(headers ?? { storageOrigin: null, hsts: false }));
  // Before any route: a foreign page's POST is refused unread, and no body is read past its limit.
  app.use('*', refuseForeignOrigins(originPolicy ?? createOriginPolicy(config.publicUrl, () => config.port)));
  app.use('*', limitBodies(config.maxBodyBytes, bodyLimits));
  app.get('/healthz', (c) => c.json({ ok: true }));
  // Public: only ready or not. What is failing names the deployment's parts, so it is told only
  // to a holder of the metrics token.
  app.get('/readyz', async (c) => {
    const failing = await readiness.failing();
    const ready = failing.length === 0;
    const body = hasBearerToken(c.req.header('authorization'), config.metricsToken) ? { ready, failing } : { ready };
    c.header('cache-control', 'no-store');
    return c.json(body, ready ? 200 : 503);
  });

  for (const mount of routes) mount(app, services);

  if (clientDistDir !== null && existsSync(join(clientDistDir, 'index.html'))) {
    const indexHtml = join(clientDistDir, 'index.html');
    app.use('/*', serveStatic({ root: clientDistDir }));
    app.get('/room/:id', async (c) => c.html(await readFile(indexHtml, 'utf8')));
  }
  return app;
}
