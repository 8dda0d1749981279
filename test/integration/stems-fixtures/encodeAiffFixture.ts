/**
 * A big-endian 16/24-bit AIFF file. Written by hand: no maintained npm AIFF encoder exists
 * and the format is three chunks (FORM, COMM with an 80-bit float rate, SSND).
 */
export function encodeAiffFixture(channels: Float32Array[], sampleRate: number, bits: 16 | 24): Uint8Array {
  const frames = channels[0]!.length;
  const bytesPer = bits / 8;
  const dataBytes = frames * channels.length * bytesPer;
  const out = new Uint8Array(12 + 26 + 16 + dataBytes);
  const v = new DataView(out.buffer);
  const str = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  str(0, 'FORM');
  v.setUint32(4, out.length - 8);
  str(8, 'AIFF');
  str(12, 'COMM');
  v.setUint32(16, 18);
  v.setUint16(20, channels.length);
  v.setUint32(22, frames);
  v.setUint16(26, bits);
  // 80-bit extended: exponent then 64-bit mantissa with explicit leading 1.
  const e = Math.floor(Math.log2(sampleRate));
  v.setUint16(28, 16383 + e);
  const mant = sampleRate / 2 ** e; // in [1, 2)
  const hi = Math.floor(mant * 2 ** 31);
  v.setUint32(30, hi);
  v.setUint32(34, Math.round((mant * 2 ** 31 - hi) * 2 ** 32));
  str(38, 'SSND');
  v.setUint32(42, dataBytes + 8);
  v.setUint32(46, 0);
  v.setUint32(50, 0);
  const full = 2 ** (bits - 1);
  let at = 54;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      const s = Math.max(-full, Math.min(full - 1, Math.round(ch[i]! * full)));
      if (bits === 16) v.setInt16(at, s);
      else {
        v.setInt8(at, s >> 16);
        v.setUint16(at + 1, s & 0xffff);
      }
      at += bytesPer;
    }
  }
  return out;
}
