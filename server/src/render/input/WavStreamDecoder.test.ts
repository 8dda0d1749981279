import { describe, expect, it } from 'vitest';
import { BakeError } from '../BakeError.ts';
import { decodeWavFrames } from '@mixroom/shared/wav';
import { WavStreamDecoder } from './WavStreamDecoder.ts';

/** Builds a WAV with an odd-sized junk chunk before fmt, and a LIST trailer after data. */
function wav(tag: number, bits: number, channels: number, samples: number[], extensible = false): Uint8Array {
  const bytesPer = bits / 8;
  const data = new Uint8Array(samples.length * bytesPer);
  const dv = new DataView(data.buffer);
  samples.forEach((v, i) => {
    const at = i * bytesPer;
    if (tag === 3 && bits === 32) dv.setFloat32(at, v, true);
    else if (tag === 3) dv.setFloat64(at, v, true);
    else if (bits === 8) dv.setUint8(at, v + 128);
    else if (bits === 16) dv.setInt16(at, v, true);
    else if (bits === 24) {
      dv.setUint8(at, v & 0xff);
      dv.setUint8(at + 1, (v >> 8) & 0xff);
      dv.setUint8(at + 2, (v >> 16) & 0xff);
    } else dv.setInt32(at, v, true);
  });
  const fmtSize = extensible ? 40 : 16;
  const parts: Uint8Array[] = [];
  const chunk = (id: string, body: Uint8Array) => {
    const head = new Uint8Array(8);
    for (let i = 0; i < 4; i++) head[i] = id.charCodeAt(i);
    new DataView(head.buffer).setUint32(4, body.length, true);
    parts.push(head, body, ...(body.length & 1 ? [new Uint8Array(1)] : []));
  };
  chunk('junk', new Uint8Array(3));
  const fmt = new Uint8Array(fmtSize);
  const f = new DataView(fmt.buffer);
  f.setUint16(0, extensible ? 0xfffe : tag, true);
  f.setUint16(2, channels, true);
  f.setUint32(4, 48000, true);
  f.setUint32(8, 48000 * channels * bytesPer, true);
  f.setUint16(12, channels * bytesPer, true);
  f.setUint16(14, bits, true);
  if (extensible) f.setUint16(24, tag, true);
  chunk('fmt ', fmt);
  chunk('data', data);
  chunk('LIST', new Uint8Array(10).fill(7));
  const body = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(12 + body);
  out.set([82, 73, 70, 70], 0);
  new DataView(out.buffer).setUint32(4, body + 4, true);
  out.set([87, 65, 86, 69], 8);
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Feeds `bytes` in pseudo-random chunk sizes and returns the planar result. */
function decode(bytes: Uint8Array, seed: number, maxChunk: number): Float32Array[] {
  const d = new WavStreamDecoder('test');
  const blocks: Float32Array[][] = [];
  let s = seed;
  for (let at = 0; at < bytes.length; ) {
    s = (s * 1103515245 + 12345) >>> 0;
    const n = 1 + (s % maxChunk);
    // Node Buffers at odd offsets, as sockets and S3 bodies deliver them.
    const chunk = Buffer.concat([Buffer.alloc(1 + (s % 3)), bytes.subarray(at, at + n)]).subarray(1 + (s % 3));
    blocks.push(...d.push(chunk));
    at += n;
  }
  d.end();
  const channels = d.header!.channels;
  return Array.from({ length: channels }, (_, c) => Float32Array.from(blocks.flatMap((b) => [...b[c]!])));
}

/**
 * The bake's path: pushData() hands on the raw sample bytes (chunked as they came), which
 * are re-blocked into `blockFrames` frames at an odd byte offset and decoded per block by
 * decodeWavFrames, as the main thread and a worker do.
 */
function decodeViaData(bytes: Uint8Array, seed: number, maxChunk: number, blockFrames: number): Float32Array[] {
  const d = new WavStreamDecoder('test');
  const data: number[] = [];
  let s = seed;
  for (let at = 0; at < bytes.length; ) {
    s = (s * 1103515245 + 12345) >>> 0;
    const n = 1 + (s % maxChunk);
    const got = d.pushData(bytes.subarray(at, at + n));
    if (got) data.push(...got);
    at += n;
  }
  d.end();
  const { channels, bytesPerFrame, format, frames } = d.header!;
  expect(data.length).toBe(frames * bytesPerFrame);
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let f = 0; f < frames; f += blockFrames) {
    const n = Math.min(blockFrames, frames - f);
    const block = new Uint8Array(1 + n * bytesPerFrame).subarray(1);
    block.set(data.slice(f * bytesPerFrame, (f + n) * bytesPerFrame));
    decodeWavFrames(block, format, n, out.map((c) => c.subarray(f)), 0);
  }
  return out;
}

describe('WavStreamDecoder', () => {
  const cases = [
    { name: 'PCM 8', tag: 1, bits: 8, values: [-128, -1, 0, 1, 127, 64], scale: 128 },
    { name: 'PCM 16', tag: 1, bits: 16, values: [-32768, -1, 0, 1, 32767, 1234], scale: 32768 },
    { name: 'PCM 24', tag: 1, bits: 24, values: [-8388608, -1, 0, 1, 8388607, -123456], scale: 8388608 },
    { name: 'PCM 32', tag: 1, bits: 32, values: [-2147483648, -1, 0, 1, 2147483647, 99999], scale: 2147483648 },
    { name: 'float 32', tag: 3, bits: 32, values: [-1, -0.5, 0, 0.25, 0.999, 1e-7], scale: 1 },
    { name: 'float 64', tag: 3, bits: 64, values: [-1, -0.5, 0, 0.25, 0.999, 1e-7], scale: 1 },
  ];
  for (const c of cases) {
    for (const channels of [1, 2]) {
      it(`${c.name}, ${channels} ch: same samples whatever the chunking (also extensible fmt)`, () => {
        const frames = 1000;
        const samples = Array.from({ length: frames * channels }, (_, i) => c.values[i % c.values.length]!);
        const expected = Array.from({ length: channels }, (_, ch) =>
          Float32Array.from({ length: frames }, (_, i) => samples[i * channels + ch]! / c.scale),
        );
        for (const extensible of [false, true]) {
          const bytes = wav(c.tag, c.bits, channels, samples, extensible);
          for (const [seed, max] of [[1, 1], [2, 7], [3, 300], [4, 1 << 20]] as const) {
            expect(decode(bytes, seed, max)).toEqual(expected);
            expect(decodeViaData(bytes, seed, max, 1 + (seed * 97) % 400)).toEqual(expected);
          }
        }
      });
    }
  }

  it('refuses a truncated data chunk with the frame count it got', () => {
    const bytes = wav(1, 16, 2, Array.from({ length: 2000 }, (_, i) => i));
    const d = new WavStreamDecoder('Stem "x"');
    d.push(bytes.subarray(0, bytes.length - 2000));
    expect(() => d.end()).toThrow(BakeError);
    expect(() => d.end()).toThrow(/truncated.*of 1000 frames/);
  });

  it('pushData: refuses a truncated data chunk the same way', () => {
    const bytes = wav(1, 16, 2, Array.from({ length: 2000 }, (_, i) => i));
    const d = new WavStreamDecoder('Stem "x"');
    d.pushData(bytes.subarray(0, 100));
    d.pushData(bytes.subarray(100, bytes.length - 2001));
    // 4000 data bytes and an 18-byte trailer: 2017 data bytes arrived, 504 whole frames.
    expect(() => d.end()).toThrow(/truncated: it ends after 504 of 1000 frames/);
  });

  it('refuses non-WAV input and unsupported encodings clearly', () => {
    expect(() => new WavStreamDecoder('x').push(new TextEncoder().encode('ID3 this is an mp3 file'))).toThrow(/not a WAV/);
    const alaw = wav(6, 8, 1, [1, 2, 3]);
    expect(() => new WavStreamDecoder('x').push(alaw)).toThrow(/unsupported WAV encoding/);
    const d = new WavStreamDecoder('x');
    d.push(new Uint8Array([82, 73, 70, 70, 0, 0]));
    expect(() => d.end()).toThrow(/not a WAV/);
  });
});
