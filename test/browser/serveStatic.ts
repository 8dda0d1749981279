import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticFile {
  body: string | Uint8Array;
  type: string;
}

export interface StaticServer {
  /** http://127.0.0.1:<port> (a secure context for Chromium, as AudioWorklet needs). */
  readonly origin: string;
  /** Adds or replaces a file at an absolute path like `/stems/kick.f32`. */
  put(path: string, file: StaticFile): void;
  close(): Promise<void>;
}

/** A tiny in-memory static file server on loopback, port 0, for bundles and test stems. */
export async function serveStatic(files: Record<string, StaticFile> = {}): Promise<StaticServer> {
  const table = new Map(Object.entries(files));
  const server = createServer((req, res) => {
    const file = table.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    put: (path, file) => void table.set(path, file),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
