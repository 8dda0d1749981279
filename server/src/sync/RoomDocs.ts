import type { RoomRegistry } from './RoomRegistry.ts';

/**
 * What HTTP modules (review, stems, the demo seeding) and access changes need of the rooms:
 * the room registry itself in one process, or the primary's router to its sync shards
 * (`SyncShards`, SYNC_SHARDS > 1). See `RoomRegistry.withRoom` and `recheckPeers`.
 */
export type RoomDocs = Pick<RoomRegistry, 'withRoom' | 'recheckPeers'>;
