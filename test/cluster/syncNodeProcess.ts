import { initMixDoc } from '@mixroom/shared/model';
import { parseSyncDocName } from '@mixroom/shared/review';
import { parseConfig } from '../../server/src/config/Config.ts';
import { createServer } from '../../server/src/createServer.ts';
import { createJsonLogger } from '../../server/src/log/Logger.ts';
import { openMixRoom } from '../../server/src/rooms/openMixRoom.ts';
import { openObjectStore } from '../../server/src/storage/openObjectStore.ts';
import { parseS3Settings } from '../../server/src/storage/S3Settings.ts';
import { openSyncCluster } from '../../server/src/sync/cluster/openSyncCluster.ts';
import { parseSyncClusterSettings } from '../../server/src/sync/cluster/SyncClusterSettings.ts';
import { authorizeFromQuery } from '../integration/syncHarness.ts';

// One cluster sync node: the real sync server (createServer) on the real cluster store (Redis
// streams + S3 snapshots), with the room initialisation and repair the product runs, and the
// tests' query-string identities. Tests and the cluster bench start several of these.
const config = parseConfig(process.env);
const logger = createJsonLogger(config.logLevel, (line) => process.stdout.write(line));
const objects = await openObjectStore(parseS3Settings(process.env), ['http://127.0.0.1']);
// The node's REDIS_URL and NODE_ID (the product reads them with the rest of ClusterSettings,
// which also wants the auth database this sync-only node does not use).
const cluster = await openSyncCluster({
  redisUrl: process.env.REDIS_URL!,
  nodeId: process.env.NODE_ID ?? `sync-node-${process.pid}`,
  settings: parseSyncClusterSettings(process.env),
  s3: objects.store.s3,
  bucket: objects.store.bucket,
  logger,
});
const server = await createServer(config, {
  logger,
  store: cluster.store,
  authorize: authorizeFromQuery,
  initRoom: (doc, roomId) => {
    if (parseSyncDocName(roomId)?.kind === 'mix') initMixDoc(doc, { title: roomId, sampleRate: 48_000 });
  },
  openRoom: openMixRoom,
});
process.once('SIGTERM', () => {
  void (async () => {
    await server.close();
    await cluster.close();
    await objects.close();
    process.exit(0);
  })();
});
