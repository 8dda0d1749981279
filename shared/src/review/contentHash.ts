import { digest } from 'lib0/hash/sha256';
import { canonicalJson } from './canonicalJson.ts';

/** Lower-case hex SHA-256, the form every content hash in Mixroom takes. */
export type ContentHash = string;

/** Matches a {@link ContentHash}. */
export const CONTENT_HASH_PATTERN = /^[0-9a-f]{64}$/;

/** SHA-256 of raw bytes as lower-case hex (pure TS: runs the same in browsers and Node). */
export function sha256Hex(bytes: Uint8Array): ContentHash {
  let hex = '';
  for (const byte of digest(bytes)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Content hash of a JSON value: SHA-256 of its {@link canonicalJson} encoding in UTF-8.
 * A version's `stateHash` is this hash of its MixState snapshot, so any peer can verify a
 * snapshot it holds and two versions with identical mixes share a hash.
 */
export function contentHash(value: unknown): ContentHash {
  return sha256Hex(new TextEncoder().encode(canonicalJson(value)));
}
