import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { makeTempDir } from '../integration/syncHarness.ts';
import { freePort } from './freePort.ts';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Debian's `redis-server` on a free loopback port with its files in a fresh temp dir, AOF
 * with `appendfsync always` (the durability the cluster mode asks of Redis). Stopped (and its
 * folder removed) by `stop()`.
 */
export async function startRedisServer(): Promise<TestRedis> {
  const dir = await makeTempDir('mixroom-redis-');
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--loglevel', 'warning'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(child, 'exit').then(() => false);
    const up = await Promise.race([exited, waitForPort(port, 10_000)]);
    if (up) {
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        child,
        stop: async () => {
          if (child.exitCode === null) {
            child.kill('SIGTERM');
            await once(child, 'exit');
          }
          await dir.remove();
        },
      };
    }
    child.kill('SIGKILL');
    if (attempt >= 3) throw new Error(`redis-server did not start: ${output}`);
  }
}

/** Resolves true once something accepts TCP connections on the port. */
export async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
