import type { IncomingMessage } from 'node:http';
import { CLOSE_CODES, type CloseCode, type RoomId } from '@mixroom/shared/protocol';
import { parseSyncDocName, type SyncDocTarget } from '@mixroom/shared/review';
import { originHeadersOf, type OriginPolicy } from '../http/OriginPolicy.ts';
import type { Logger } from '../log/Logger.ts';
import type { Authorize, Identity } from './Authorize.ts';

/** What decides whether a sync socket may open (see admitSyncSocket). */
export interface SyncAdmissionDeps {
  readonly authorize: Authorize;
  /** Refuses upgrades from foreign pages (4403); none = any origin (tests of the sync layer). */
  readonly originPolicy?: OriginPolicy;
  /** Counts an authorised socket against its user's cap: the release, or null to refuse (4429). */
  readonly admitSocket?: (userId: string) => (() => void) | null;
  readonly logger: Logger;
}

export type SyncAdmission =
  | {
      readonly ok: true;
      /** The sync document: `<room>` (the mix) or `<room>~review`. */
      readonly docId: RoomId;
      readonly target: SyncDocTarget;
      readonly identity: Identity;
      /** Frees the user's socket slot once the socket closes (null: no cap). */
      readonly release: (() => void) | null;
    }
  | { readonly ok: false; readonly code: CloseCode; readonly detail?: string };

/**
 * The one admission of a sync socket, for the single process (handleSyncConnection) and for
 * the primary of SYNC_SHARDS (SyncShards.accept), so both refuse the same sockets with the same
 * codes in the same order: foreign Origin 4403, bad room id 4404, no session or role 4401,
 * past the user's socket cap 4429.
 *
 * `segment` is the path after `/sync/`. Resolves null when `gone()` turns true while the
 * session is read: nobody is left to answer and no socket slot is taken.
 */
export async function admitSyncSocket(
  request: IncomingMessage,
  segment: string,
  deps: SyncAdmissionDeps,
  gone: () => boolean,
): Promise<SyncAdmission | null> {
  const originRefusal = deps.originPolicy?.check(originHeadersOf(request.headers)) ?? null;
  if (originRefusal !== null) return { ok: false, code: CLOSE_CODES.forbiddenOrigin, detail: originRefusal };
  const target = parseSyncDocName(segment);
  if (!target) return { ok: false, code: CLOSE_CODES.invalidRoomId, detail: `room id ${JSON.stringify(segment.slice(0, 80))}` };
  const roomId = target.roomId as RoomId;
  const identity = await deps.authorize(request, roomId).catch((error: unknown) => {
    deps.logger.error('authorize failed', { roomId, error: String(error) });
    return null;
  });
  if (gone()) return null;
  if (!identity) return { ok: false, code: CLOSE_CODES.unauthorized };
  let release: (() => void) | null = null;
  if (deps.admitSocket) {
    release = deps.admitSocket(identity.userId);
    if (release === null) return { ok: false, code: CLOSE_CODES.tooManyConnections, detail: `user ${identity.userId}` };
  }
  return { ok: true, docId: segment as RoomId, target, identity, release };
}
