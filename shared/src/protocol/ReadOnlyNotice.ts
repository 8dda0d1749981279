import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import type { Role } from './Role.ts';
import { isRole } from './Role.ts';
import { MESSAGE_TYPES } from './MessageType.ts';

/**
 * Tells a connection that its document updates are dropped because its role cannot edit the
 * mix. Encoded as a standard y-protocols auth "permission denied" message (type `auth`), so
 * the unmodified y-websocket client understands it (it logs the reason) while our client can
 * read the role from the reason `read-only:<role>` and lock its controls.
 *
 * The server sends it once when a read-only connection opens, and again each time it drops a
 * non-empty update from that connection. The connection stays open: it still receives every
 * document update and all awareness.
 */
export const READ_ONLY_REASON_PREFIX = 'read-only:';

/** Writes a complete frame (message type included) carrying the read-only notice for `role`. */
export function writeReadOnlyNotice(encoder: encoding.Encoder, role: Role): void {
  encoding.writeVarUint(encoder, MESSAGE_TYPES.auth);
  authProtocol.writePermissionDenied(encoder, READ_ONLY_REASON_PREFIX + role);
}

/** Encodes the read-only notice as a standalone frame. */
export function encodeReadOnlyNotice(role: Role): Uint8Array {
  const encoder = encoding.createEncoder();
  writeReadOnlyNotice(encoder, role);
  return encoding.toUint8Array(encoder);
}

/**
 * Reads the payload of an `auth` message (after its type byte). Returns the role when it is a
 * read-only notice, `null` for any other auth message.
 */
export function readReadOnlyNotice(decoder: decoding.Decoder): Role | null {
  if (decoding.readVarUint(decoder) !== authProtocol.messagePermissionDenied) return null;
  const reason = decoding.readVarString(decoder);
  if (!reason.startsWith(READ_ONLY_REASON_PREFIX)) return null;
  const role = reason.slice(READ_ONLY_REASON_PREFIX.length);
  return isRole(role) ? role : null;
}
