import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../server/src/storage/createS3Client.ts';
import { ensureBucket } from '../../server/src/storage/ensureBucket.ts';
import { startEmbeddedS3, type EmbeddedS3 } from '../../server/src/storage/startEmbeddedS3.ts';
import { freePort } from '../cluster/freePort.ts';
import { startPostgres, type TestPostgres } from '../cluster/startPostgres.ts';
import { startRedisServer, type TestRedis } from '../cluster/startRedisServer.ts';
import { makeTempDir, waitFor } from '../integration/syncHarness.ts';

/**
 * infra/ as deployed: the systemd units' own command lines and environment (the settings file
 * infra/mixroom.env.example, then the unit's `Environment=` lines) start a real node and a real
 * bake worker against Redis, PostgreSQL and an S3 API; both answer readiness and exit 0 on
 * SIGTERM. `systemd-analyze verify` checks the units, and every variable any infra file sets
 * (units, settings file, compose file) is one the server reads.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const infra = join(repo, 'infra');
/** Where the units expect the repository. */
const INSTALL_DIR = '/opt/mixroom';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let redis: TestRedis;
let pg: TestPostgres;
let s3: EmbeddedS3;
let cluster: Record<string, string>;

interface Unit {
  readonly workingDirectory: string;
  readonly execStart: string[];
  readonly environment: Record<string, string>;
  readonly environmentFile: string;
  readonly timeoutStopSec: number;
}

/** The `[Service]` settings the test runs by, with `%i` (instance) and `%H` (host) expanded. */
function parseUnit(text: string, instance: string): Unit {
  const expand = (v: string) => v.replaceAll('%i', instance).replaceAll('%H', hostname());
  const values = (key: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`${key}=`))
      .map((l) => expand(l.slice(key.length + 1).trim()));
  const environment: Record<string, string> = {};
  for (const assignment of values('Environment')) {
    const eq = assignment.indexOf('=');
    environment[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return {
    workingDirectory: values('WorkingDirectory')[0]!,
    execStart: values('ExecStart')[0]!.split(/\s+/),
    environment,
    environmentFile: values('EnvironmentFile')[0]!,
    timeoutStopSec: Number(values('TimeoutStopSec')[0]),
  };
}

/** `KEY=value` lines (comments and blanks skipped), as systemd's EnvironmentFile reads them. */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** Runs a unit's ExecStart as systemd would (its working directory mapped into this checkout). */
async function runUnit(file: string, instance: string, overrides: Record<string, string>) {
  const unit = parseUnit(await readFile(join(infra, 'systemd', file), 'utf8'), instance);
  expect(unit.workingDirectory.startsWith(INSTALL_DIR)).toBe(true);
  expect(unit.environmentFile).toBe('/etc/mixroom/mixroom.env');
  const settings = parseEnvFile(await readFile(join(infra, 'mixroom.env.example'), 'utf8'));
  const cwd = join(repo, unit.workingDirectory.slice(INSTALL_DIR.length));
  const [command, ...args] = unit.execStart;
  const child = spawn(command!, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.path, ...settings, ...unit.environment, ...overrides },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    if (l.startsWith('{')) lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { unit, child, lines, exited, stderr: () => stderr };
}

beforeAll(async () => {
  tmp = await makeTempDir('mixroom-infra-');
  [redis, pg, s3] = await Promise.all([startRedisServer({ aof: 'always' }), startPostgres(), startEmbeddedS3({ dataDir: `${tmp.path}/s3`, port: 0, acceptPresignedUrls: true })]);
  await ensureBucket(createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', ...s3.credentials, forcePathStyle: true }), 'mixroom', ['*']);
  // What differs between the example settings and this machine: addresses and secrets.
  cluster = {
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    DATABASE_URL: pg.url,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: 'us-east-1',
    S3_BUCKET: 'mixroom',
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    DRAIN_DELAY_MS: '500',
  };
});

afterAll(async () => {
  await s3?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
  await tmp?.remove();
});

describe('infra/systemd units', () => {
  it('the node unit starts a cluster node on its instance port that is ready, and drains to exit 0 on SIGTERM', async () => {
    const port = await freePort();
    const node = await runUnit('mixroom-node@.service', String(port), { ...cluster, DATA_DIR: join(tmp.path, 'node') });
    expect(node.unit.environment.PORT).toBe(String(port));
    try {
      await waitFor('node listening', () => node.lines.some((l) => l.msg === 'server listening') || node.child.exitCode !== null, 120_000).catch((e: unknown) => {
        console.log('DEBUG', JSON.stringify(node.lines), node.stderr());
        throw e;
      });
      expect(node.child.exitCode, node.stderr()).toBeNull();
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      node.child.kill('SIGTERM');
      const started = Date.now();
      expect(await node.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(node.unit.timeoutStopSec * 1000);
      expect(node.lines.some((l) => l.msg === 'draining')).toBe(true);
    } finally {
      node.child.kill('SIGKILL');
    }
  });

  it('the worker unit starts a bake worker whose ops port is its instance, and it exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const worker = await runUnit('mixroom-worker@.service', String(port), cluster);
    try {
      await waitFor('worker ready', () => worker.lines.some((l) => l.msg === 'worker ops listening') || worker.child.exitCode !== null, 120_000);
      expect(worker.child.exitCode, worker.stderr()).toBeNull();
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      worker.child.kill('SIGKILL');
    }
  });

  it('systemd-analyze verify finds nothing to complain about in either unit', async () => {
    for (const file of ['mixroom-node@.service', 'mixroom-worker@.service']) {
      // verify needs an instance name; it checks syntax, directives and that ExecStart exists.
      const instance = join(tmp.path, file.replace('@.service', '@8787.service'));
      await copyFile(join(infra, 'systemd', file), instance);
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', instance], { encoding: 'utf8' });
      expect(r.error, 'systemd-analyze (apt-get install systemd)').toBeUndefined();
      expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
      expect(r.status).toBe(0);
    }
  });
});

describe('infra/ settings', () => {
  it('every variable the units, the settings file and the compose file set is one the server reads', async () => {
    const sources = await readTree(join(repo, 'server', 'src'));
    const files = ['systemd/mixroom-node@.service', 'systemd/mixroom-worker@.service', 'mixroom.env.example', 'compose.yaml'];
    const names = new Set<string>();
    for (const file of files) {
      let text = await readFile(join(infra, file), 'utf8');
      // compose.yaml: the app's environment block (Redis, PostgreSQL, MinIO have their own).
      if (file === 'compose.yaml') text = text.slice(text.indexOf('environment: &env'), text.indexOf('\n\n', text.indexOf('environment: &env')));
      for (const m of text.matchAll(/^\s*(?:Environment=)?([A-Z][A-Z0-9_]{2,})[=:]/gm)) names.add(m[1]!);
    }
    expect(names.size).toBeGreaterThan(15);
    const unknown = [...names].filter((n) => !new RegExp(`\\b${n}\\b`).test(sources));
    expect(unknown).toEqual([]);
  });
});

async function readTree(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) text += await readTree(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) text += await readFile(path, 'utf8');
  }
  return text;
}
