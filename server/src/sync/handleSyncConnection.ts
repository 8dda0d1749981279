import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import {
  can,
  CLOSE_CODES,
  CLOSE_REASONS,
  createOrigin,
  encodeReadOnlyNotice,
  HEARTBEAT_SILENCE_MS,
  MESSAGE_TYPES,
  type CloseCode,
  type Role,
  type RoomId,
} from '@mixroom/shared/protocol';
import { admitSyncSocket, type SyncAdmissionDeps } from './admitSyncSocket.ts';
import type { Peer } from './Peer.ts';
import type { RejectLog } from './RejectLog.ts';
import type { RoomLease, RoomRegistry } from './RoomRegistry.ts';
import { encodeAllAwareness, processFrame, sendAllAwareness } from './processFrame.ts';
import { SocketOutbox } from './SocketOutbox.ts';

export interface SyncConnectionDeps extends SyncAdmissionDeps {
  readonly rooms: RoomRegistry;
  readonly maxMessageBytes: number;
  readonly maxSocketBufferBytes: number;
  /** Where refused sockets are reported (rate-limited); none = one warning line each. */
  readonly rejects?: RejectLog;
  /**
   * A socket that sent heartbeats and then nothing for this long is dropped, so its presence
   * leaves the room within seconds (default `HEARTBEAT_SILENCE_MS`).
   */
  readonly heartbeatSilenceMs?: number;
  /** How long after a write a socket's next waits (see WritePacer); default: no wait. */
  readonly pacer?: { readonly gapMs: number };
  /** Small frames framed here and written straight to the socket (see SocketOutbox); default true. */
  readonly directFrames?: boolean;
}

/**
 * Unsent bytes past which a socket counts as behind: its presence frames are dropped and it
 * gets the room's whole presence once it caught up, while mix updates keep flowing. About a
 * second of a busy room's updates; presence frames are a few hundred bytes each.
 */
const PRESENCE_BEHIND_BYTES = 64 * 1024;

/** URL prefix of the sync endpoint: clients connect to `/sync/<roomId>`. */
export const SYNC_PATH_PREFIX = '/sync/';

/**
 * Runs one y-websocket connection. Frames that arrive while the socket is being authorised
 * and its room loaded are buffered and processed in order afterwards, so the client's sync
 * step 1 (sent as soon as the socket opens) is never lost.
 *
 * Handshake once the room is ready: server sends sync step 1 and all awareness states (and,
 * for a role that cannot edit the mix, the read-only notice); the client answers step 1 with
 * step 2 and sends its own step 1, which the server answers with step 2.
 */
export function handleSyncConnection(socket: WebSocket, request: IncomingMessage, deps: SyncConnectionDeps): void {
  const { logger } = deps;
  const buffered: Array<{ data: RawData; isBinary: boolean }> = [];
  let onFrame: ((data: RawData, isBinary: boolean) => void) | null = null;
  let closed = false;
  let lease: RoomLease | null = null;
  let peer: Peer | null = null;
  let releaseSlot: (() => void) | null = null;
  let outbox: SocketOutbox | null = null;
  const roomSegment = new URL(request.url ?? '/', 'http://localhost').pathname.slice(SYNC_PATH_PREFIX.length);

  const close = (code: CloseCode, detail?: string, reason: string = CLOSE_REASONS[code]): void => {
    if (closed) return;
    closed = true;
    // What was queued before the close (a notice, say) still goes first.
    if (code !== CLOSE_CODES.slowConsumer) outbox?.flush();
    outbox?.close();
    if (code !== CLOSE_CODES.goingAway) {
      if (deps.rejects) deps.rejects.record({ roomId: roomSegment.slice(0, 80), code, detail });
      else logger.warn('closing sync connection', { roomId: roomSegment, code, detail });
    }
    socket.close(code, reason);
  };

  // Once the client heartbeats, silence means it is gone (a dead network sends no close).
  const silenceMs = deps.heartbeatSilenceMs ?? HEARTBEAT_SILENCE_MS;
  let lastHeardAt = Date.now();
  let silenceTimer: ReturnType<typeof setInterval> | null = null;
  const watchSilence = (frame: RawData): void => {
    lastHeardAt = Date.now();
    if (silenceTimer || closed || !isHeartbeat(frame)) return;
    silenceTimer = setInterval(() => {
      if (Date.now() - lastHeardAt <= silenceMs) return;
      logger.info('sync socket silent: dropped', { roomId: roomSegment, silentMs: Date.now() - lastHeardAt });
      closed = true;
      socket.terminate();
    }, Math.max(100, Math.floor(silenceMs / 4)));
    silenceTimer.unref?.();
  };

  let bufferedBytes = 0;
  // Access rechecks in flight (they read the shared auth store): frames wait for the answer,
  // so a revoked or demoted socket never gets a frame through after the change.
  let holds = 0;
  const drain = (): void => {
    // One at a time: a frame may start a hold that the frames after it wait for.
    while (onFrame && holds === 0 && !closed && buffered.length > 0) {
      const { data, isBinary } = buffered.shift()!;
      bufferedBytes -= rawLength(data);
      onFrame(data, isBinary);
    }
    if (buffered.length === 0) bufferedBytes = 0;
  };
  socket.on('message', (data, isBinary) => {
    watchSilence(data);
    if (onFrame && holds === 0) return onFrame(data, isBinary);
    bufferedBytes += rawLength(data);
    // A client may not pile up more than one maximal message while it waits for its room.
    if (bufferedBytes > deps.maxMessageBytes) return close(CLOSE_CODES.messageTooLarge, 'too much before ready');
    buffered.push({ data, isBinary });
  });
  socket.on('error', (error) => {
    // `ws` already closed the socket (e.g. 1009 for a frame above maxPayload).
    logger.warn('sync socket error', { roomId: roomSegment, error: String(error) });
  });
  socket.on('close', () => {
    closed = true;
    outbox?.close();
    if (silenceTimer) clearInterval(silenceTimer);
    releaseSlot?.();
    if (lease && peer) lease.room.removePeer(peer);
    lease?.release();
  });

  void (async () => {
    const admission = await admitSyncSocket(request, roomSegment, deps, () => closed);
    if (!admission) return;
    if (!admission.ok) return close(admission.code, admission.detail);
    const { identity, docId } = admission;
    releaseSlot = admission.release;
    const roomId = admission.target.roomId;
    // `<room>` is the mix; `<room>~review` the server-written review records of the same room.
    const serverWrittenDoc = admission.target.kind === 'review';
    let acquired: RoomLease;
    try {
      acquired = await deps.rooms.acquire(docId);
    } catch (error) {
      logger.error('room failed to load', { roomId, error: String(error) });
      return close(CLOSE_CODES.roomUnavailable, String(error));
    }
    if (closed) return acquired.release();
    lease = acquired;
    const room = acquired.room;
    const box = new SocketOutbox(socket, {
      behindBytes: PRESENCE_BEHIND_BYTES,
      maxBufferedBytes: deps.maxSocketBufferBytes,
      currentPresence: () => encodeAllAwareness(room),
      // It will resync through sync step 1/2 when it reconnects.
      onTooSlow: (bytes) => close(CLOSE_CODES.slowConsumer, `buffered ${bytes} bytes`),
      ...(deps.pacer ? { pacer: deps.pacer } : {}),
      directFrames: deps.directFrames ?? true,
    });
    outbox = box;
    const self: Peer = {
      userId: identity.userId,
      name: identity.name,
      role: identity.role,
      origin: createOrigin('remote', identity.userId),
      serverWrittenDoc,
      send: (frame) => {
        if (!closed) box.sendDoc(frame);
      },
      sendPresence: (frame) => {
        if (!closed) box.sendPresence(frame);
      },
      close: (code, reason) => close(code as CloseCode, reason),
      reauthorize: () => {
        const recheck = identity.recheck;
        if (closed || !recheck) return;
        const apply = (role: Role | null): void => {
          if (closed) return;
          if (role === null) return close(CLOSE_CODES.unauthorized, 'access revoked');
          if (role === self.role) return;
          const couldEdit = can(self.role, 'editMix');
          self.role = role;
          room.presence.restamp(self);
          if (!serverWrittenDoc && couldEdit && !can(role, 'editMix')) self.send(encodeReadOnlyNotice(role));
        };
        holds += 1;
        void (async () => recheck())()
          .then(apply, (error: unknown) => {
            // Fail closed but retryable: the client reconnects and is authorised afresh.
            logger.warn('access recheck failed', { roomId, error: String(error) });
            close(CLOSE_CODES.roomUnavailable, 'access check failed');
          })
          .finally(() => {
            holds -= 1;
            drain();
          });
      },
    };
    peer = self;
    room.addPeer(self);
    // Access may have changed while the room loaded; from here on, recheckPeers finds this peer.
    self.reauthorize?.();
    if (closed) return;

    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE_TYPES.sync);
    // From the kept state vector when the room hibernates: a joiner does not wake it.
    encoding.writeVarUint(step1, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(step1, room.encodeStateVector());
    self.send(encoding.toUint8Array(step1));
    sendAllAwareness(room, self);
    if (!serverWrittenDoc && !can(self.role, 'editMix')) self.send(encodeReadOnlyNotice(self.role));

    onFrame = (data, isBinary) => {
      if (closed) return;
      if (!isBinary) return close(CLOSE_CODES.badMessage, 'text frame');
      const frame = toBytes(data);
      if (frame.byteLength > deps.maxMessageBytes) {
        return close(CLOSE_CODES.messageTooLarge, `${frame.byteLength} bytes`);
      }
      const result = processFrame(room, self, frame);
      if ('wait' in result) {
        // The socket's next frames go on: its own sync step 2 may be what supplies them.
        void result.wait.then((outcome) => {
          if (!outcome.ok) close(outcome.code, outcome.detail, outcome.reason);
        });
        return;
      }
      if (!result.ok) close(result.code, result.detail, result.reason);
    };
    drain();
  })();
}

/** A one-byte heartbeat frame (see MESSAGE_TYPES.heartbeat). */
function isHeartbeat(data: RawData): boolean {
  return rawLength(data) === 1 && toBytes(data)[0] === MESSAGE_TYPES.heartbeat;
}

function rawLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
