/** CRC-16 with polynomial x^16 + x^15 + x^2 + 1 (0x8005, reflected: 0xA001), the LAME tag's checksum. */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** Continues `crc` over `bytes` (start from 0). */
export function crc16(bytes: Uint8Array, crc = 0): number {
  let c = crc & 0xffff;
  for (let i = 0; i < bytes.length; i++) c = (c >>> 8) ^ TABLE[(c ^ bytes[i]!) & 0xff]!;
  return c;
}
