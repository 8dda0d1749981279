/**
 * Hostile audio files, built byte by byte: each is valid enough to pass the container checks
 * and is made to expand (or claim) far more than its size. What an attacker uploads to the
 * open demo room.
 */

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

function concat(parts: readonly (Uint8Array | number[])[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** FLAC's frame header CRC-8 (poly 0x07) and frame CRC-16 (poly 0x8005), MSB first, init 0. */
function crc8(bytes: readonly number[]): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}
function crc16(bytes: readonly number[]): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** FLAC's UTF-8-like coding of a frame number. */
function utf8Number(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x800) return [0xc0 | (n >> 6), 0x80 | (n & 0x3f)];
  if (n < 0x10000) return [0xe0 | (n >> 12), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
  return [0xf0 | (n >> 18), 0x80 | ((n >> 12) & 0x3f), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
}

/**
 * The FLAC bomb of issue 13: STREAMINFO with total samples = 0 ("unknown"), then frames of
 * 65535 samples each, both channels a CONSTANT subframe: ~16 bytes that decode to 512 KB of
 * float samples. `bytes` of them (64 KB: ~4200 frames, 2.2 GB once decoded).
 */
export function flacBomb(bytes = 64 * 1024, sampleRate = 48000): Uint8Array {
  const blockSize = 65535;
  const streamInfo = [
    (blockSize >> 8) & 0xff, blockSize & 0xff, // min block size
    (blockSize >> 8) & 0xff, blockSize & 0xff, // max block size
    0, 0, 0, 0, 0, 0, // min/max frame size unknown
    (sampleRate >> 12) & 0xff, (sampleRate >> 4) & 0xff,
    ((sampleRate & 0x0f) << 4) | ((2 - 1) << 1) | ((8 - 1) >> 4), // rate low bits, channels - 1, bps - 1 (high bit)
    ((8 - 1) & 0x0f) << 4, // bps - 1 (low bits), total samples bits 35..32 = 0
    0, 0, 0, 0, // total samples = 0: unknown
    ...new Array(16).fill(0), // MD5 unknown
  ];
  const rateCode = sampleRate === 44100 ? 0b1001 : 0b1010;
  const parts: number[][] = [[...ascii('fLaC'), 0x80, 0, 0, 34, ...streamInfo]];
  let size = 42;
  for (let n = 0; size < bytes; n++) {
    const header = [0xff, 0xf8, (0b0111 << 4) | rateCode, (0b0001 << 4) | (0b001 << 1), ...utf8Number(n), (blockSize - 1) >> 8, (blockSize - 1) & 0xff];
    header.push(crc8(header));
    // Two CONSTANT subframes (type 000000, no wasted bits) of 8-bit value 0x40.
    const frame = [...header, 0x00, 0x40, 0x00, 0x40];
    const crc = crc16(frame);
    frame.push(crc >> 8, crc & 0xff);
    parts.push(frame);
    size += frame.length;
  }
  return concat(parts);
}

/**
 * An MP3 of garbage frames: valid MPEG-1 Layer III headers (32 kb/s, 48 kHz, mono, 96-byte
 * frames) around pseudo-random payloads. Each 96 bytes stand for 1152 samples: `bytes` of
 * them claim far more audio than a stem may hold.
 */
export function mp3GarbageFrames(bytes: number): Uint8Array {
  const frameBytes = 96; // 144 * 32000 / 48000
  const frames = Math.floor(bytes / frameBytes);
  const out = new Uint8Array(frames * frameBytes);
  let seed = 0x1234567;
  for (let f = 0; f < frames; f++) {
    const at = f * frameBytes;
    out.set([0xff, 0xfb, 0x14, 0xc4], at); // sync, MPEG-1 L3 no CRC; 32 kb/s, 48 kHz, no padding; mono
    for (let i = 4; i < frameBytes; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      out[at + i] = seed >>> 24;
    }
    // main_data_begin = 0 (the first 9 bits of the side info), so each frame stands alone.
    out[at + 4] = 0;
    out[at + 5]! &= 0x7f;
  }
  return out;
}

/** A 16-bit stereo 48 kHz WAV whose data chunk claims `claimed` bytes but holds `actual`. */
export function wavLyingDataSize(claimed: number, actual: number): Uint8Array {
  return wavWith({ channels: 2, sampleRate: 48000, bits: 16, dataClaimed: claimed, data: new Uint8Array(actual).fill(0x11) });
}

/**
 * A WAV whose format chunk lies about the stream's shape: `channels` channels of 8-bit
 * samples at `sampleRate` Hz (65535 channels, or 4 GHz, make a few MB look like a short,
 * legal stem while the decoder sizes its output from them).
 */
export function wavLyingShape(channels: number, sampleRate: number, dataBytes: number): Uint8Array {
  const blockAlign = channels;
  return wavWith({ channels, sampleRate, bits: 8, dataClaimed: dataBytes - (dataBytes % blockAlign), data: new Uint8Array(dataBytes - (dataBytes % blockAlign)).fill(0x90) });
}

function wavWith(o: { channels: number; sampleRate: number; bits: number; dataClaimed: number; data: Uint8Array }): Uint8Array {
  const header = new Uint8Array(44);
  const v = new DataView(header.buffer);
  header.set(ascii('RIFF'), 0);
  v.setUint32(4, Math.min(0xffffffff, 36 + o.dataClaimed), true);
  header.set(ascii('WAVEfmt '), 8);
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, o.channels, true);
  v.setUint32(24, o.sampleRate, true);
  const blockAlign = (o.channels * o.bits) / 8;
  v.setUint32(28, (o.sampleRate * blockAlign) >>> 0, true);
  v.setUint16(32, blockAlign, true);
  v.setUint16(34, o.bits, true);
  header.set(ascii('data'), 36);
  v.setUint32(40, o.dataClaimed, true);
  return concat([header, o.data]);
}

// Ogg's CRC-32: polynomial 0x04c11db7, MSB first, no reflection, initial value 0.
const OGG_CRC = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** One Ogg page holding whole `packets` (each under 255 bytes). `granule` null writes -1. */
function oggPage(flags: number, granule: number | null, sequence: number, packets: readonly Uint8Array[]): Uint8Array {
  const segments: number[] = [];
  for (const p of packets) {
    for (let left = p.length; ; left -= 255) {
      segments.push(Math.min(255, left));
      if (left < 255) break;
    }
  }
  const page = concat([[...ascii('OggS'), 0, flags], new Uint8Array(8), [0x4d, 0x52, 0x00, 0x01], new Uint8Array(4), new Uint8Array(4), [segments.length, ...segments], ...packets]);
  const v = new DataView(page.buffer);
  if (granule === null) {
    v.setUint32(6, 0xffffffff, true);
    v.setUint32(10, 0xffffffff, true);
  } else {
    v.setUint32(6, granule % 2 ** 32, true);
    v.setUint32(10, Math.floor(granule / 2 ** 32), true);
  }
  v.setUint32(18, sequence, true);
  let crc = 0;
  for (const b of page) crc = ((crc << 8) ^ OGG_CRC[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  v.setUint32(22, crc, true);
  return page;
}

/**
 * An Ogg Opus stream with no end: every audio page carries 255 one-byte packets (a 60 ms
 * SILK frame each, decoded by concealment: 2880 samples per byte) and no page, the last
 * one included, says where the stream ends (granule position -1). `pages` audio pages of
 * 537 bytes each stand for 12.2 s of audio apiece.
 */
export function oggOpusWithoutEnd(pages: number): Uint8Array {
  const head = concat([ascii('OpusHead'), [1, 1], [0x38, 0x01], [0x80, 0xbb, 0, 0], [0, 0], [0]]); // mono, pre-skip 312, 48 kHz
  const tags = concat([ascii('OpusTags'), [4, 0, 0, 0], ascii('bomb'), [0, 0, 0, 0]]);
  const packets = Array.from({ length: 255 }, () => Uint8Array.of(0x18)); // config 3 (SILK NB 60 ms), mono, code 0
  const out: Uint8Array[] = [oggPage(0x02, 0, 0, [head]), oggPage(0x00, 0, 1, [tags])];
  for (let i = 0; i < pages; i++) out.push(oggPage(i === pages - 1 ? 0x04 : 0x00, null, i + 2, packets));
  return concat(out);
}

/** `flac` with STREAMINFO's total sample count replaced (a header that lies about the length). */
export function withFlacTotalSamples(flac: Uint8Array, total: number): Uint8Array {
  const out = flac.slice();
  // STREAMINFO starts at byte 8; its total sample count is the 36 bits from byte 8 + 13 (low nibble).
  const at = 8 + 13;
  out[at] = (out[at]! & 0xf0) | (Math.floor(total / 2 ** 32) & 0x0f);
  new DataView(out.buffer).setUint32(at + 1, total % 2 ** 32);
  return out;
}

/** `ogg` with its last page's granule position replaced (and that page's CRC recomputed). */
export function withOggEndGranule(ogg: Uint8Array, granule: number): Uint8Array {
  const out = ogg.slice();
  const v = new DataView(out.buffer);
  let at = 0;
  let last = 0;
  while (at < out.length) {
    last = at;
    const segments = out[at + 26]!;
    let body = 0;
    for (let i = 0; i < segments; i++) body += out[at + 27 + i]!;
    at += 27 + segments + body;
  }
  v.setUint32(last + 6, granule % 2 ** 32, true);
  v.setUint32(last + 10, Math.floor(granule / 2 ** 32), true);
  v.setUint32(last + 22, 0, true);
  let crc = 0;
  for (let i = last; i < out.length; i++) crc = ((crc << 8) ^ OGG_CRC[((crc >>> 24) ^ out[i]!) & 0xff]!) >>> 0;
  v.setUint32(last + 22, crc, true);
  return out;
}
