import { ApiError } from '../http/ApiError.ts';

// Ogg's CRC-32: polynomial 0x04c11db7, MSB first, no reflection, initial value 0.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** What the page walk found. */
export interface OggPages {
  /** Byte offset where each page ends (the next begins), in order. */
  readonly ends: readonly number[];
  /** The last page's granule position (the stream's end, in samples), or null when it has none. */
  readonly lastGranule: number | null;
}

/**
 * Walks every Ogg page: each must be complete with a valid CRC, and the last one must
 * carry the end-of-stream flag. The decoders skip damaged pages silently (good for
 * streaming, wrong for validating an upload), so a cut-off or bit-flipped file is caught
 * here with a message saying which. Returns the pages, so they can be decoded one by one.
 */
export function checkOggPages(bytes: Uint8Array, label: string): OggPages {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let lastFlags = 0;
  let pages = 0;
  let lastGranule: number | null = null;
  const ends: number[] = [];
  while (at < bytes.length) {
    if (at + 27 > bytes.length) throw new ApiError('truncated', `The ${label} file is truncated (it ends inside a page header).`);
    if (view.getUint32(at) !== 0x4f676753) throw new ApiError('corrupt', `The ${label} file is damaged (bad page at byte ${at}).`);
    const segments = bytes[at + 26]!;
    if (at + 27 + segments > bytes.length) throw new ApiError('truncated', `The ${label} file is truncated (it ends inside a page).`);
    let bodyLength = 0;
    for (let i = 0; i < segments; i++) bodyLength += bytes[at + 27 + i]!;
    const end = at + 27 + segments + bodyLength;
    if (end > bytes.length) throw new ApiError('truncated', `The ${label} file is truncated (it ends inside a page).`);
    const stored = view.getUint32(at + 22, true);
    let crc = 0;
    for (let i = at; i < end; i++) {
      // The CRC field itself counts as zero.
      const b = i >= at + 22 && i < at + 26 ? 0 : bytes[i]!;
      crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
    }
    if (crc !== stored) throw new ApiError('corrupt', `The ${label} file is damaged (checksum error in page ${pages + 1}).`);
    lastFlags = bytes[at + 5]!;
    // 64-bit little-endian; all ones means "no packet ends on this page".
    const low = view.getUint32(at + 6, true);
    const high = view.getUint32(at + 10, true);
    lastGranule = low === 0xffffffff && high === 0xffffffff ? null : high * 2 ** 32 + low;
    pages++;
    at = end;
    ends.push(end);
  }
  if ((lastFlags & 0x04) === 0) throw new ApiError('truncated', `The ${label} file is truncated (no end-of-stream page).`);
  return { ends, lastGranule };
}
