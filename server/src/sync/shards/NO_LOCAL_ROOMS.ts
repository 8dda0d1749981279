import type { RoomStore } from '../persistence/RoomStore.ts';

/**
 * The primary's room store when rooms run in sync shards: it opens nothing, so a room can
 * never be loaded here beside its shard (two writers of one room's files).
 */
export const NO_LOCAL_ROOMS: RoomStore = {
  start: async () => undefined,
  open: async (roomId) => {
    throw new Error(`room ${roomId} runs in a sync shard (SYNC_SHARDS > 1): reach it through services.docs`);
  },
};
