import * as decoding from 'lib0/decoding';

/**
 * Fully decodes an awareness update (`varUint count`, then per client `varUint clientID,
 * varUint clock, varString JSON state`) without applying it. y-protocols' own
 * `applyAwarenessUpdate` mutates states as it reads, so a frame that breaks halfway would
 * leave half-applied presence behind; checking first keeps presence all-or-nothing.
 * Returns the clientIDs it names; throws on any malformed input.
 */
export function validateAwarenessUpdate(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const clientIds: number[] = [];
  for (let i = 0; i < count; i++) {
    clientIds.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder);
    JSON.parse(decoding.readVarString(decoder));
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after awareness update');
  return clientIds;
}
