import type * as Y from 'yjs';
import { getSessionMap, readMixState } from '@mixroom/shared/model';
import { addTrack, isMixOpError } from '@mixroom/shared/ops';
import { isValidRoomId, type TransactionOrigin } from '@mixroom/shared/protocol';
import { ApiError } from '../http/ApiError.ts';
import type { RoomDocs } from '../sync/RoomDocs.ts';
import type { StemTrackSink } from './StemTrackSink.ts';

const DEFAULT_SAMPLE_RATE = 48000;

/**
 * A StemTrackSink writing to the room's live document through the sync server's rooms,
 * plus what the demo seeding uses: `trackNames` (to stay idempotent) and `writeMix` (its
 * starting mix).
 */
export function createRoomTrackSink(rooms: Pick<RoomDocs, 'withRoom'>): StemTrackSink & {
  trackNames(room: string): Promise<string[]>;
  writeMix(room: string, write: (doc: Y.Doc, origin: TransactionOrigin) => void): Promise<void>;
} {
  const id = (room: string) => {
    if (!isValidRoomId(room)) throw new Error(`Invalid room id ${room}`);
    return room;
  };
  return {
    sessionSampleRate: (room) =>
      rooms.withRoom(id(room), (doc) => {
        const rate = getSessionMap(doc)?.get('sampleRate');
        return typeof rate === 'number' && rate > 0 ? rate : DEFAULT_SAMPLE_RATE;
      }),
    trackNames: (room) => rooms.withRoom(id(room), (doc) => readMixState(doc).tracks.map((t) => t.name)),
    addTrack: (room, track) =>
      rooms
        .withRoom(id(room), (doc, origin) => addTrack(doc, { name: track.name, stem: track.stem }, origin), { actor: 'stems' })
        .catch((error: unknown) => {
          // A full mix (MIX_CAPS.tracks) is the uploader's to fix: say so, not 500.
          if (isMixOpError(error) && error.code === 'too-many-strips') throw new ApiError('conflict', `${error.message}: remove a track first.`, { cause: error });
          throw error;
        }),
    writeMix: (room, write) => rooms.withRoom(id(room), write, { actor: 'demo' }),
  };
}
