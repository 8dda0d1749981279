import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { can, CLOSE_CODES, encodeReadOnlyNotice, MESSAGE_TYPES, roomFullReason, type CloseCode } from '@mixroom/shared/protocol';
import { heartbeatEchoAllowed } from './heartbeatEchoAllowed.ts';
import { MAX_KEY_NAME_CHARS } from './overlongKeyName.ts';
import type { Peer } from './Peer.ts';
import type { Room } from './Room.ts';
import { AwarenessTooLargeError, validateAwarenessUpdate, type AwarenessEntry } from './validateAwarenessUpdate.ts';

/** What happened to one incoming frame. */
export type FrameResult =
  | { readonly ok: true; readonly dropped?: boolean }
  /** `reason`, when given, goes to the client instead of the code's usual close reason. */
  | { readonly ok: false; readonly code: CloseCode; readonly detail: string; readonly reason?: string }
  /** An update waiting for its dependencies: refused (closing the socket) if they never come. */
  | { readonly ok: true; readonly wait: Promise<FrameResult> };

const HEARTBEAT_FRAME = Uint8Array.of(MESSAGE_TYPES.heartbeat);
const EMPTY_UPDATE_BYTES = 2; // `Y.encodeStateAsUpdate` of an empty diff: no structs, no deletes

/**
 * Handles one binary frame from `peer` in `room` (the y-websocket protocol, see
 * `MESSAGE_TYPES`). Never throws: any malformed input yields a close code for that peer only.
 * Each frame must hold exactly one message; trailing bytes are malformed.
 */
export function processFrame(room: Room, peer: Peer, frame: Uint8Array): FrameResult {
  const decoder = decoding.createDecoder(frame);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
  } catch (error) {
    return bad(`unreadable message type: ${String(error)}`);
  }
  switch (type) {
    case MESSAGE_TYPES.sync:
      return processSync(room, peer, decoder);
    case MESSAGE_TYPES.awareness:
      return processAwareness(room, peer, decoder);
    case MESSAGE_TYPES.queryAwareness:
      if (decoding.hasContent(decoder)) return bad('trailing bytes after queryAwareness');
      // Each answer carries the whole room's presence: counted against the presence rate.
      if (!room.presence.allowQuery(peer)) return { ok: true, dropped: true };
      sendAllAwareness(room, peer);
      return { ok: true };
    case MESSAGE_TYPES.heartbeat:
      if (decoding.hasContent(decoder)) return bad('trailing bytes after heartbeat');
      // Echoed as is (one byte back for one byte in), and at most a few times a second: a
      // flood still counts as liveness but makes no writes.
      if (!heartbeatEchoAllowed(peer)) return { ok: true, dropped: true };
      peer.send(HEARTBEAT_FRAME);
      return { ok: true };
    default:
      // Includes `auth`: only the server sends it.
      return bad(`unexpected message type ${type}`);
  }
}

function processSync(room: Room, peer: Peer, decoder: decoding.Decoder): FrameResult {
  let subtype: number;
  let payload: Uint8Array;
  try {
    subtype = decoding.readVarUint(decoder);
    payload = decoding.readVarUint8Array(decoder);
  } catch (error) {
    return bad(`truncated sync message: ${String(error)}`);
  }
  if (decoding.hasContent(decoder)) return bad('trailing bytes after sync message');
  switch (subtype) {
    case syncProtocol.messageYjsSyncStep1:
      return answerStep1(room, peer, payload);
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate:
      return applyClientUpdate(room, peer, payload);
    default:
      return bad(`unknown sync message type ${subtype}`);
  }
}

function answerStep1(room: Room, peer: Peer, stateVector: Uint8Array): FrameResult {
  let reply: Uint8Array;
  try {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPES.sync);
    // (a hibernating room answers from its kept state, without waking)
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, room.encodeStateAsUpdate(stateVector));
    reply = encoding.toUint8Array(encoder);
  } catch (error) {
    return bad(`bad state vector: ${String(error)}`);
  }
  // The reply reflects the doc now; send it once that state is durable (see Room).
  room.whenDurable().then(
    () => peer.send(reply),
    () => undefined, // the room failed and already closed this peer
  );
  return { ok: true };
}

function applyClientUpdate(room: Room, peer: Peer, update: Uint8Array): FrameResult {
  if (peer.serverWrittenDoc || !can(peer.role, 'editMix')) {
    if (update.byteLength > EMPTY_UPDATE_BYTES) peer.send(encodeReadOnlyNotice(peer.serverWrittenDoc ? 'listener' : peer.role));
    return { ok: true, dropped: true };
  }
  // A reconnecting client's sync step 2 usually holds nothing new: no need to wake for it.
  const judged = room.judgeUpdate(update);
  if (judged === 'held') return { ok: true };
  // Refused whole, awake or asleep: nothing of it is applied, stored or relayed.
  if (judged === 'unreadable') return { ok: false, code: CLOSE_CODES.updateRejected, detail: 'unreadable update' };
  if (judged === 'overlong-key') return { ok: false, code: CLOSE_CODES.updateRejected, detail: `update names a key over ${MAX_KEY_NAME_CHARS} characters` };
  // Refused before it touches the doc: nothing of it is stored or relayed (see Room.admits).
  if (!room.admits(update)) {
    const max = room.maxRoomBytes!;
    return { ok: false, code: CLOSE_CODES.messageTooLarge, detail: `room at its size limit (${max} bytes); update of ${update.byteLength} bytes`, reason: roomFullReason(max) };
  }
  try {
    // Wakes a hibernating room first (see Room), so this is judged exactly like any update.
    Y.applyUpdate(room.doc, update, peer.origin);
  } catch (error) {
    // Whatever part Yjs did integrate was emitted as an update and is persisted like any other
    // change, so memory and storage still agree.
    room.discardPending();
    return { ok: false, code: CLOSE_CODES.updateRejected, detail: `update failed to apply: ${String(error)}` };
  }
  // Structs whose dependencies the room lacks would wait in memory forever and be served to
  // every joiner (a client only ever sends what builds on what it got from us). Refused; the
  // part that did integrate is a valid edit, persisted like any other.
  if (room.discardPending()) {
    const refused: FrameResult = { ok: false, code: CLOSE_CODES.updateRejected, detail: 'update depends on changes the room does not have' };
    // In a cluster this node may not have read them yet from the room's stream.
    const arrived = room.awaitMissingDependencies(update, peer.origin, peer);
    return arrived === null ? refused : { ok: true, wait: arrived.then((applied) => (applied ? { ok: true } : refused)) };
  }
  room.retryAwaiting();
  return { ok: true };
}

function processAwareness(room: Room, peer: Peer, decoder: decoding.Decoder): FrameResult {
  const { limits } = room.presence;
  let entries: AwarenessEntry[];
  try {
    const update = decoding.readVarUint8Array(decoder);
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes after awareness message');
    entries = validateAwarenessUpdate(update, { maxStateBytes: limits.maxStateBytes, maxEntries: limits.maxEntriesPerFrame });
  } catch (error) {
    if (error instanceof AwarenessTooLargeError) return { ok: false, code: CLOSE_CODES.messageTooLarge, detail: error.message };
    return bad(`malformed awareness update: ${String(error)}`);
  }
  // Another user's client id, too many ids, or over the rate: dropped or held, never closed;
  // a presence collision is not worth cutting someone's edits off.
  const outcome = room.presence.receive(peer, entries);
  return outcome === 'applied' || outcome === 'coalesced' ? { ok: true } : { ok: true, dropped: true };
}

/** Sends every known awareness state to `peer` (on connect and on queryAwareness). */
export function sendAllAwareness(room: Room, peer: Peer): void {
  const frame = encodeAllAwareness(room);
  if (frame !== null) peer.send(frame);
}

/** Every known awareness state of `room` as one awareness frame, or null when there is none. */
export function encodeAllAwareness(room: Room): Uint8Array | null {
  const clients = [...room.awareness.getStates().keys()];
  if (clients.length === 0) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPES.awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(room.awareness, clients));
  return encoding.toUint8Array(encoder);
}

function bad(detail: string): FrameResult {
  return { ok: false, code: CLOSE_CODES.badMessage, detail };
}
