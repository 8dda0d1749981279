import * as decoding from 'lib0/decoding';

/** One client's entry in an awareness update. */
export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  /** The client's presence, or null when it removes it. */
  readonly state: Readonly<Record<string, unknown>> | null;
}

/** An awareness update above the presence size limits: the frame is refused with 4413. */
export class AwarenessTooLargeError extends Error {
  override readonly name = 'AwarenessTooLargeError';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Fully decodes an awareness update (`varUint count`, then per client `varUint clientID,
 * varUint clock, varString JSON state`) without applying it. y-protocols' own
 * `applyAwarenessUpdate` mutates states as it reads, so a frame that breaks halfway would
 * leave half-applied presence behind; checking first keeps presence all-or-nothing.
 *
 * Sizes are checked before anything is parsed: a state above `maxStateBytes` throws
 * {@link AwarenessTooLargeError}; more than `maxEntries` clients, or anything malformed
 * (including a state that is not a JSON object or null), throws a plain Error.
 */
export function validateAwarenessUpdate(
  update: Uint8Array,
  limits: { readonly maxStateBytes: number; readonly maxEntries: number },
): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  // A client publishes its own state (one id); naming more than a socket may hold is a
  // protocol violation, refused before the loop so a frame of tiny states costs nothing.
  if (count > limits.maxEntries) throw new Error(`${count} presence states in one update (at most ${limits.maxEntries})`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    // `varString` is a varUint byte length and UTF-8 bytes: read the length before decoding.
    const bytes = decoding.readVarUint8Array(decoder);
    if (bytes.byteLength > limits.maxStateBytes) {
      throw new AwarenessTooLargeError(`presence state of ${bytes.byteLength} bytes (limit ${limits.maxStateBytes})`);
    }
    const state: unknown = JSON.parse(utf8.decode(bytes));
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('presence state is not an object');
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after awareness update');
  return entries;
}
