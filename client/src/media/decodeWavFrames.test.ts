import { describe, expect, it } from 'vitest';
import { decodeWavFrames } from './decodeWavFrames.ts';
import { parseWavHeader, WavFormatError } from './parseWavHeader.ts';

/** A WAV file written by hand (the reader must not share code with its own test oracle). */
function wav(channels: Float32Array[], sampleRate: number, kind: 16 | 24 | 32 | 'f32', extraChunk = false): Uint8Array {
  const frames = channels[0]!.length;
  const bps = kind === 'f32' ? 4 : kind / 8;
  const dataBytes = frames * channels.length * bps;
  const list = extraChunk ? 8 + 5 + 1 : 0; // odd-sized LIST chunk plus its pad byte
  const out = new Uint8Array(44 + list + dataBytes);
  const v = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, kind === 'f32' ? 3 : 1, true);
  v.setUint16(22, channels.length, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels.length * bps, true);
  v.setUint16(32, channels.length * bps, true);
  v.setUint16(34, kind === 'f32' ? 32 : kind, true);
  let at = 36;
  if (extraChunk) {
    text(at, 'LIST');
    v.setUint32(at + 4, 5, true);
    text(at + 8, 'INFOx');
    at += 14;
  }
  text(at, 'data');
  v.setUint32(at + 4, dataBytes, true);
  at += 8;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      const x = ch[i]!;
      if (kind === 'f32') v.setFloat32(at, x, true);
      else if (kind === 16) v.setInt16(at, Math.round(x * 32767), true);
      else if (kind === 24) {
        const n = Math.round(x * 8388607);
        out[at] = n & 0xff;
        out[at + 1] = (n >> 8) & 0xff;
        out[at + 2] = (n >> 16) & 0xff;
      } else v.setInt32(at, Math.round(x * 2147483647), true);
      at += bps;
    }
  }
  return out;
}

/** Reads the header from the shortest prefix that holds it, then frame ranges of pseudo-random sizes (seeded), as range reads would. */
function decode(bytes: Uint8Array, seed: number): { channels: Float32Array[]; sampleRate: number } {
  let layout: ReturnType<typeof parseWavHeader> = null;
  let prefix = 0;
  while (!layout) layout = parseWavHeader(bytes.subarray(0, ++prefix));
  expect(prefix).toBe(layout.dataOffset);
  const { format, dataOffset, blockAlign } = layout;
  const channels = Array.from({ length: format.channels }, () => new Float32Array(format.frames));
  let s = seed;
  for (let frame = 0; frame < format.frames; ) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const n = Math.min(format.frames - frame, 1 + (s % 997));
    const chunk = Array.from({ length: format.channels }, () => new Float32Array(n));
    // A trailing partial frame is ignored.
    const got = decodeWavFrames(bytes.subarray(dataOffset + frame * blockAlign, dataOffset + (frame + n) * blockAlign + 1), format, chunk);
    expect(got).toBe(n);
    chunk.forEach((c, i) => channels[i]!.set(c, frame));
    frame += n;
  }
  return { channels, sampleRate: format.sampleRate };
}

const tone = (n: number, freq: number, amp: number) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / 48000));

describe('parseWavHeader + decodeWavFrames', () => {
  for (const kind of [16, 24, 32, 'f32'] as const) {
    it(`decodes ${kind} stereo read in ranges of arbitrary frame counts`, () => {
      const left = tone(5000, 440, 0.5);
      const right = tone(5000, 1000, -0.25);
      for (const seed of [1, 7, 42]) {
        const out = decode(wav([left, right], 48000, kind, seed === 7), seed);
        expect(out.sampleRate).toBe(48000);
        expect(out.channels).toHaveLength(2);
        const tol = kind === 16 ? 1 / 32767 : kind === 24 ? 1 / 8388607 : 1e-7;
        let worst = 0;
        for (let c = 0; c < 2; c++) for (let i = 0; i < 5000; i++) worst = Math.max(worst, Math.abs(out.channels[c]![i]! - [left, right][c]![i]!));
        expect(worst).toBeLessThanOrEqual(tol);
      }
    });
  }

  it('keeps mono as one channel', () => {
    const out = decode(wav([tone(1000, 100, 0.9)], 44100, 16), 3);
    expect(out.channels).toHaveLength(1);
    expect(out.sampleRate).toBe(44100);
  });

  it('writes at an offset and never past the targets', () => {
    const bytes = wav([tone(100, 300, 0.5)], 48000, 'f32');
    const layout = parseWavHeader(bytes)!;
    const target = [new Float32Array(30)];
    expect(decodeWavFrames(bytes.subarray(layout.dataOffset), layout.format, target, 10)).toBe(20);
    expect(target[0]![9]).toBe(0);
    expect(target[0]![10]).toBe(0); // sin(0)
    expect(target[0]![11]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 300) / 48000), 6);
  });

  it('refuses what is not PCM WAV with a typed error', () => {
    const notWav = new TextEncoder().encode('ID3\u0004 this is an mp3 file, honestly');
    expect(() => parseWavHeader(notWav)).toThrow(WavFormatError);
    const adpcm = wav([tone(10, 1, 0.1)], 48000, 16);
    new DataView(adpcm.buffer).setUint16(20, 2, true);
    expect(() => parseWavHeader(adpcm)).toThrow(/Unsupported WAV encoding 2/);
  });
});
