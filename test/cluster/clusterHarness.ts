import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createS3Client } from '../../server/src/storage/createS3Client.ts';
import { ensureBucket } from '../../server/src/storage/ensureBucket.ts';
import { startEmbeddedS3, type EmbeddedS3 } from '../../server/src/storage/startEmbeddedS3.ts';
import { connectClient, whenSynced, type TestClient } from '../integration/syncHarness.ts';
import { startRedisServer, type TestRedis, type TestRedisOptions } from './startRedisServer.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const BUCKET = 'mixroom';

/** One node process of a test cluster. */
export interface ClusterNode {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** Its stdout (JSON log lines). */
  readonly lines: string[];
  kill9(): Promise<void>;
  /** SIGTERM: closes sockets, flushes rooms. */
  stop(): Promise<void>;
}

export interface TestCluster {
  readonly redis: TestRedis;
  readonly s3: EmbeddedS3;
  readonly nodes: ClusterNode[];
  /** Environment every node gets (tests may add to it per node). */
  readonly env: Record<string, string>;
  startNode(extra?: Record<string, string>): Promise<ClusterNode>;
  /** A y-websocket client (see connectClient), destroyed by {@link close}. */
  connect(...args: Parameters<typeof connectClient>): TestClient;
  /** Waits for every client to sync; on a timeout the error carries the nodes' last log lines. */
  synced(clients: readonly TestClient[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real cluster on loopback: Debian's redis-server, the embedded S3 store run on its own as
 * the "real S3" every node points at, and `syncNodeProcess.ts` nodes (the sync server on the
 * cluster store) as child processes.
 */
export async function startTestCluster(options: {
  readonly nodes: number;
  readonly redis?: TestRedisOptions;
  readonly env?: Record<string, string>;
}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'mixroom-cluster-'));
  const redis = await startRedisServer(options.redis);
  const s3 = await startEmbeddedS3({ dataDir: join(dir, 's3'), port: 0 });
  // The embedded store on its own, as the "real S3" of the cluster, with its per-run key pair.
  const { credentials } = s3;
  const client = createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, ...credentials });
  await ensureBucket(client, BUCKET, ['http://127.0.0.1']);
  client.destroy();
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    MIXROOM_MODE: 'cluster',
    REDIS_URL: redis.url,
    S3_EMBEDDED: 'false',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: BUCKET,
    S3_ACCESS_KEY_ID: credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    // Tests want compaction to happen while they watch.
    SYNC_COMPACT_AFTER_MS: '300',
    SYNC_STREAM_MIN_LIFETIME_MS: '1000',
    ROOM_IDLE_UNLOAD_MS: '500',
    ...options.env,
  };
  const nodes: ClusterNode[] = [];
  let count = 0;
  const startNode = async (extra: Record<string, string> = {}): Promise<ClusterNode> => {
    const name = `node-${count++}`;
    const node = await spawnNode(name, { ...process.env, ...env, DATA_DIR: join(dir, name), NODE_ID: name, ...extra });
    nodes.push(node);
    return node;
  };
  const clients: TestClient[] = [];
  const close = async () => {
    for (const c of clients.splice(0)) c.destroy();
    await Promise.all(nodes.map((n) => n.kill9()));
    await redis.stop();
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < options.nodes; i++) await startNode();
  } catch (error) {
    // A test whose set-up failed never reaches its own close: leave no process behind.
    await close();
    throw error;
  }
  return {
    redis,
    s3,
    nodes,
    env,
    startNode,
    connect: (...args) => {
      const client = connectClient(...args);
      clients.push(client);
      return client;
    },
    synced: async (clients) => {
      try {
        await Promise.all(clients.map(whenSynced));
      } catch (error) {
        const state = clients.map((c) => `${c.provider.url}: synced ${c.provider.synced}, connected ${c.provider.wsconnected}`);
        const logs = nodes.map((n) => `${n.name}:\n${n.lines.slice(-25).join('\n')}`);
        throw new Error(`${String(error)}\n${state.join('\n')}\n${logs.join('\n')}`);
      }
    },
    close,
  };
}

function spawnNode(name: string, env: NodeJS.ProcessEnv): Promise<ClusterNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/cluster/syncNodeProcess.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const errors: string[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    errors.push(d.toString());
    if (errors.length > 200) errors.shift();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${name} exited early with ${code}:\n${lines.join('\n')}\n${errors.join('')}`));
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === 'server listening') {
        child.off('exit', onExit);
        resolve({ name, url: entry.url!, child, lines, kill9: () => kill('SIGKILL'), stop: () => kill('SIGTERM') });
      }
    });
  });
}
