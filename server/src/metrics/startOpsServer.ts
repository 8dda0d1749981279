import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from './createReadiness.ts';
import { hasBearerToken } from './hasBearerToken.ts';
import type { Metrics } from './Metrics.ts';

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Health, readiness and metrics for a process without the app's HTTP server (`pnpm worker`):
 * `/healthz` (alive), `/readyz` (503 once draining), `/metrics` (bearer token; absent without one).
 */
export async function startOpsServer(options: { host: string; port: number; metrics: Metrics; token: string | null; readiness: Readiness }): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, '{"error":"method"}');
    if (path === '/healthz') return send(200, '{"ok":true}');
    if (path === '/readyz') {
      // As the nodes' /readyz: what fails is told only to the metrics token.
      const detailed = hasBearerToken(req.headers.authorization, options.token);
      options.readiness.failing().then((failing) => {
        const ready = failing.length === 0;
        send(ready ? 200 : 503, JSON.stringify(detailed ? { ready, failing } : { ready }));
      });
      return;
    }
    if (path === '/metrics' && options.token !== null) {
      if (!hasBearerToken(req.headers.authorization, options.token)) return send(401, 'Unauthorized\n', 'text/plain');
      options.metrics.registry.metrics().then(
        (text) => send(200, text, options.metrics.registry.contentType),
        () => send(500, 'metrics failed\n', 'text/plain'),
      );
      return;
    }
    send(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
