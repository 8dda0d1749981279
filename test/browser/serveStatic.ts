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
  /** Removes and returns the body the page PUT at `path` (see `uploads`), if any. */
  takeUpload(path: string): Uint8Array | undefined;
  close(): Promise<void>;
}

/**
 * A tiny in-memory static file server on loopback, port 0, for bundles and test stems. A
 * page may PUT binary results under `/uploads/` (far faster than returning tens of
 * megabytes through page.evaluate); the test takes them with `takeUpload`.
 */
export async function serveStatic(files: Record<string, StaticFile> = {}): Promise<StaticServer> {
  const table = new Map(Object.entries(files));
  const uploads = new Map<string, Uint8Array>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'PUT' && path.startsWith('/uploads/')) {
      const parts: Buffer[] = [];
      req.on('data', (b: Buffer) => parts.push(b));
      req.on('end', () => {
        uploads.set(path, new Uint8Array(Buffer.concat(parts)));
        res.writeHead(204).end();
      });
      return;
    }
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
    takeUpload(path) {
      const body = uploads.get(path);
      uploads.delete(path);
      return body;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
