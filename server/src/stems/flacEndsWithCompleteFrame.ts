// FLAC frame CRC-16: polynomial 0x8005, MSB first, initial 0, over the whole frame.
const CRC16 = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 8;
    for (let k = 0; k < 8; k++) r = r & 0x8000 ? ((r << 1) ^ 0x8005) & 0xffff : (r << 1) & 0xffff;
    t[i] = r;
  }
  return t;
})();

/**
 * True when the file's last bytes are one complete FLAC frame (a frame sync code followed
 * by data whose CRC-16 matches the last two bytes). libFLAC skips damaged frames without
 * telling its wrapper, so when samples are missing this tells a cut-off upload (the file
 * ends mid-frame) from damage inside the file (it still ends cleanly).
 */
export function flacEndsWithCompleteFrame(bytes: Uint8Array, searchBytes = 1 << 20): boolean {
  const end = bytes.length;
  if (end < 18) return false;
  const stored = (bytes[end - 2]! << 8) | bytes[end - 1]!;
  for (let p = end - 8; p >= Math.max(4, end - searchBytes); p--) {
    if (bytes[p] !== 0xff || (bytes[p + 1]! & 0xfe) !== 0xf8) continue;
    let crc = 0;
    for (let i = p; i < end - 2; i++) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ bytes[i]!]!;
    if (crc === stored) return true;
  }
  return false;
}
