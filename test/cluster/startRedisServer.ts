import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { makeTempDir } from '../integration/syncHarness.ts';
import { freePort } from './freePort.ts';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Its data folder (the append-only file lives here). */
  readonly dir: string;
  /** The running process (a new one after `crashAndRestart`). */
  readonly child: ChildProcess;
  /** kill -9, then the same port and folder again: what survives is what its persistence kept. */
  crashAndRestart(): Promise<void>;
  /** kill -9 alone (an outage until `restart`). */
  crash(): Promise<void>;
  /** Starts it again on the same port and folder after `crash`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestRedisOptions {
  /** `always` (default): AOF with `appendfsync always`, the durability cluster mode asks of Redis; `off`: no persistence. */
  readonly aof?: 'always' | 'off';
}

/**
 * Debian's `redis-server` on a free loopback port with its files in a fresh temp dir. Stopped
 * (and its folder removed) by `stop()`.
 */
export async function startRedisServer(options: TestRedisOptions = {}): Promise<TestRedis> {
  const dir = await makeTempDir('mixroom-redis-');
  const persistence = options.aof === 'off' ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'always'];
  const launch = async (port: number): Promise<ChildProcess | string> => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path, '--save', '', ...persistence, '--daemonize', 'no', '--loglevel', 'warning'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(child, 'exit').then(() => false);
    const up = await Promise.race([exited, waitForPort(port, 10_000)]);
    if (up) return child;
    child.kill('SIGKILL');
    return output;
  };
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const started = await launch(port);
    if (typeof started === 'string') {
      if (attempt >= 3) throw new Error(`redis-server did not start: ${started}`);
      continue;
    }
    let child = started;
    const restart = async () => {
      const again = await launch(port);
      if (typeof again === 'string') throw new Error(`redis-server did not restart: ${again}`);
      child = again;
    };
    const kill = async (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await once(child, 'exit');
      }
    };
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      dir: dir.path,
      get child() {
        return child;
      },
      crashAndRestart: async () => {
        await kill('SIGKILL');
        await restart();
      },
      crash: () => kill('SIGKILL'),
      restart,
      stop: async () => {
        await kill('SIGTERM');
        await dir.remove();
      },
    };
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
