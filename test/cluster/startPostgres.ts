import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../integration/syncHarness.ts';
import { freePort, } from './freePort.ts';
import { waitForPort } from './startRedisServer.ts';

export interface TestPostgres {
  /** `postgres://mixroom@127.0.0.1:PORT/mixroom` (trust auth on loopback, test only). */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** A fast shutdown that keeps the data folder: an outage until `restart`. */
  shutdown(): Promise<void>;
  /** Starts it again on the same port and data after `shutdown`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Debian's PostgreSQL binaries (`/usr/lib/postgresql/<major>/bin`), newest major first. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const major of majors) {
    const bin = join(root, major, 'bin');
    if (existsSync(join(bin, 'initdb'))) return bin;
  }
  throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
}

/**
 * A throwaway PostgreSQL cluster: `initdb` in a fresh temp dir, `postgres` on a free loopback
 * port, a `mixroom` database. PostgreSQL refuses to run as root, so when the tests run as
 * root (CI) the server runs as Debian's `postgres` user.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = await makeTempDir('mixroom-pg-');
  const asUser = process.getuid?.() === 0 ? postgresUser() : null;
  if (asUser) chownSync(dir.path, asUser.uid, asUser.gid);
  const data = join(dir.path, 'data');
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'mixroom', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    encoding: 'utf8',
    ...(asUser ? { uid: asUser.uid, gid: asUser.gid } : {}),
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const launch = async (port: number): Promise<{ child: ChildProcess; up: boolean; output: () => string }> => {
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir.path, '-c', 'max_connections=200', '-c', 'shared_buffers=32MB'],
      { stdio: ['ignore', 'pipe', 'pipe'], ...(asUser ? { uid: asUser.uid, gid: asUser.gid } : {}) },
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(child, 'exit').then(() => false);
    const up = await Promise.race([exited, waitForPort(port, 20_000)]);
    return { child, up, output: () => output };
  };
  // Fast shutdown: disconnect clients, no checkpoint wait beyond what is needed.
  const shutdown = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    await once(child, 'exit');
  };
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const first = await launch(port);
    if (first.up) {
      const created = await createDatabase(bin, port, asUser);
      if (!created.ok) throw new Error(`createdb failed: ${created.error}`);
      let child = first.child;
      return {
        url: `postgres://mixroom@127.0.0.1:${port}/mixroom`,
        port,
        get child() {
          return child;
        },
        shutdown: () => shutdown(child),
        restart: async () => {
          const again = await launch(port);
          if (!again.up) throw new Error(`postgres did not restart: ${again.output()}`);
          child = again.child;
        },
        stop: async () => {
          await shutdown(child);
          await dir.remove();
        },
      };
    }
    first.child.kill('SIGKILL');
    if (attempt >= 3) throw new Error(`postgres did not start: ${first.output()}`);
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) throw new Error('running as root needs the postgres user (apt-get install postgresql creates it)');
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function createDatabase(bin: string, port: number, asUser: { uid: number; gid: number } | null): Promise<{ ok: boolean; error?: string }> {
  // The port accepts connections a moment before the server takes logins.
  for (let i = 0; i < 50; i++) {
    const r = spawnSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'mixroom', 'mixroom'], {
      encoding: 'utf8',
      ...(asUser ? { uid: asUser.uid, gid: asUser.gid } : {}),
    });
    if (r.status === 0) return { ok: true };
    if (!/starting up|Connection refused|could not connect/.test(r.stderr)) return { ok: false, error: r.stderr };
    await new Promise((res) => setTimeout(res, 100));
  }
  return { ok: false, error: 'timed out' };
}
