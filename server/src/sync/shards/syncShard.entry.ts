import { runSyncShard } from './runSyncShard.ts';

/** A sync shard process (forked by SyncShards with tsx's loader). */
runSyncShard(process as unknown as Parameters<typeof runSyncShard>[0]);
