import { describe, expect, it } from 'vitest';
import { decodeWavFrames, type WavSampleFormat as SampleFormat } from '@mixroom/shared/wav';
import { StripChainMemory } from './StripChainMemory.ts';

/** Deterministic bytes, with the extreme codes of each format and float NaN/inf/-0/subnormal patterns mixed in. */
function bytesFor(format: SampleFormat, samples: number, seed: number): Uint8Array {
  const width = format === 'pcm16' ? 2 : format === 'pcm24' ? 3 : 4;
  const out = new Uint8Array(samples * width);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  const view = new DataView(out.buffer);
  const put = (sample: number, value: number): void => {
    if (sample >= samples) return;
    if (format === 'pcm16') view.setInt16(sample * 2, value, true);
    else if (format === 'pcm24') {
      view.setUint8(sample * 3, value & 0xff);
      view.setUint8(sample * 3 + 1, (value >> 8) & 0xff);
      view.setUint8(sample * 3 + 2, (value >> 16) & 0xff);
    } else view.setFloat32(sample * 4, value, true);
  };
  if (format === 'float32') {
    [NaN, Infinity, -Infinity, -0, 1e-42, 3.4e38].forEach((v, k) => put(3 + 7 * k, v));
  } else {
    const full = format === 'pcm16' ? 32768 : 8388608;
    [-full, full - 1, 0, -1, 1].forEach((v, k) => put(2 + 5 * k, v));
  }
  return out;
}

/** Sample bits, every NaN as one pattern (JavaScript may quiet a NaN's payload in a copy; any NaN is the same sample). */
const bits = (a: Float32Array): Uint32Array => new Uint32Array(Float32Array.from(a, (x) => (Number.isNaN(x) ? NaN : x)).buffer);

describe("the bake worker's SIMD stem decoding", () => {
  it('gives exactly the samples decodeWavFrames gives, float32/16/24-bit, mono and stereo, any length', () => {
    let compared = 0;
    for (const format of ['float32', 'pcm16', 'pcm24'] as const) {
      for (const channels of [1, 2] as const) {
        if (format === 'float32' && channels === 1) continue; // the worker copies those bytes as they are
        for (const frames of [0, 1, 3, 4, 7, 8, 9, 333, 8192]) {
          const bytes = bytesFor(format, frames * channels, 7 + frames + channels);
          const expected = Array.from({ length: channels }, () => new Float32Array(frames));
          decodeWavFrames(bytes, format, frames, expected, 0);
          const mem = new StripChainMemory();
          const out = Array.from({ length: channels }, () => mem.alloc(frames));
          const src = mem.reserve(bytes.length + 16);
          mem.u8.set(bytes, src);
          const l = mem.addressOf(out[0]!)!;
          const r = channels === 2 ? mem.addressOf(out[1]!)! : l;
          if (format === 'float32') mem.decodeF32Stereo(src, l, r, frames);
          else if (format === 'pcm16') mem.decodePcm16(src, l, r, frames, channels);
          else mem.decodePcm24(src, l, r, frames, channels);
          for (let c = 0; c < channels; c++) expect(bits(out[c]!), `${format} ${channels} ch ${frames} frames`).toEqual(bits(expected[c]!));
          compared += frames * channels;
        }
      }
    }
    expect(compared).toBeGreaterThan(40_000);
  });

  it('decodes the extreme codes to the exact full-scale values', () => {
    const mem = new StripChainMemory();
    const out = [mem.alloc(8), mem.alloc(8)];
    const pcm16 = new Int16Array([-32768, 32767, 0, -1, 16384, -16384, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const src = mem.reserve(64);
    mem.u8.set(new Uint8Array(pcm16.buffer), src);
    mem.decodePcm16(src, mem.addressOf(out[0]!)!, mem.addressOf(out[1]!)!, 8, 2);
    expect([...out[0]!.subarray(0, 3)]).toEqual([-1, 0, 0.5]);
    expect([...out[1]!.subarray(0, 3)]).toEqual([32767 / 32768, -1 / 32768, -0.5]);
  });
});
