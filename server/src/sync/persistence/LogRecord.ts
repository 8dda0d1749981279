import { crc32 } from 'node:zlib';

/**
 * On-disk record framing shared by the update log and the snapshot file:
 * `u32le length | u32le crc32(payload) | payload`. A record whose header or payload is cut
 * short, or whose checksum does not match, marks the end of the valid data: that is what a
 * write torn by a crash looks like.
 */
export const RECORD_HEADER_BYTES = 8;
/** No single Yjs update or snapshot we write is near this; a larger length means garbage. */
export const MAX_RECORD_BYTES = 1024 * 1024 * 1024;

export function encodeRecords(payloads: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const p of payloads) total += RECORD_HEADER_BYTES + p.byteLength;
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const p of payloads) {
    out.writeUInt32LE(p.byteLength, offset);
    out.writeUInt32LE(crc32(p), offset + 4);
    out.set(p, offset + RECORD_HEADER_BYTES);
    offset += RECORD_HEADER_BYTES + p.byteLength;
  }
  return out;
}

export interface DecodedRecords {
  readonly payloads: Uint8Array[];
  /** Byte offset just after the last valid record. */
  readonly validBytes: number;
}

/** Decodes records from `bytes` starting at `start`, stopping at the first invalid one. */
export function decodeRecords(bytes: Uint8Array, start = 0): DecodedRecords {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payloads: Uint8Array[] = [];
  let offset = start;
  while (offset + RECORD_HEADER_BYTES <= buf.byteLength) {
    const length = buf.readUInt32LE(offset);
    const checksum = buf.readUInt32LE(offset + 4);
    const end = offset + RECORD_HEADER_BYTES + length;
    if (length > MAX_RECORD_BYTES || end > buf.byteLength) break;
    const payload = buf.subarray(offset + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== checksum) break;
    // Copy out so callers never alias the whole file buffer.
    payloads.push(new Uint8Array(payload));
    offset = end;
  }
  return { payloads, validBytes: offset };
}
