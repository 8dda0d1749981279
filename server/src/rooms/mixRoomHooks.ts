import { initMixDoc } from '@mixroom/shared/model';
import type { RoomId } from '@mixroom/shared/protocol';
import { parseSyncDocName } from '@mixroom/shared/review';
import { DEMO_ROOM_ID, DEMO_ROOM_TITLE } from '../demo/seedDemoRoom.ts';
import type { Logger } from '../log/Logger.ts';
import type { RoomRegistryDeps } from '../sync/createRoomRegistry.ts';
import { openMixRoom } from './openMixRoom.ts';

/** Sample rate of rooms created without one (the demo and `POST /api/rooms`). */
export const DEFAULT_SAMPLE_RATE = 48_000;

/**
 * How the product's rooms start and load, wherever they run (the single process or a sync
 * shard): a new room starts as an empty mix titled as its owner named it (`roomTitle`, from
 * the auth store; an open room: after its id), its `~review` records document starts empty,
 * and every load migrates old mix documents and keeps their invariants repaired (`logger`
 * hears of mixes newer than this node, see openMixRoom).
 */
export function mixRoomHooks(
  roomTitle: (roomId: RoomId) => Promise<string | null>,
  logger?: Pick<Logger, 'warn'>,
): Required<Pick<RoomRegistryDeps, 'prepareNewRoom' | 'initRoom' | 'openRoom'>> {
  return {
    prepareNewRoom: async (roomId) => (parseSyncDocName(roomId)?.kind === 'mix' ? await roomTitle(roomId) : null),
    initRoom: (doc, roomId, ownerTitle) => {
      if (parseSyncDocName(roomId)?.kind !== 'mix') return;
      const title = typeof ownerTitle === 'string' ? ownerTitle : roomId === DEMO_ROOM_ID ? DEMO_ROOM_TITLE : roomId;
      initMixDoc(doc, { title, sampleRate: DEFAULT_SAMPLE_RATE });
    },
    openRoom: (doc, roomId, origin) => openMixRoom(doc, roomId, origin, logger),
  };
}
