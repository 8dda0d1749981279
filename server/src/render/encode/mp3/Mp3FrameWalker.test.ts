import { describe, expect, it } from 'vitest';
import { BakeError } from '../../BakeError.ts';
import { frameLength, Mp3FrameWalker } from './Mp3FrameWalker.ts';

/** A fake MPEG-1 Layer III frame: a real header (320 kbit/s, the given rate and padding slot) and filler. */
function frame(rateIndex: number, padding: 0 | 1): Uint8Array {
  const h = Uint8Array.of(0xff, 0xfb, (14 << 4) | (rateIndex << 2) | (padding << 1), 0x64);
  const bytes = new Uint8Array(frameLength(h)!);
  bytes.set(h);
  bytes.fill(0xaa, 4);
  return bytes;
}

describe('Mp3FrameWalker', () => {
  it('counts frames of 320 kbit/s at each rate, padding slots included', () => {
    expect(frameLength(frame(1, 0))).toBe(960); // 48 kHz
    expect(frameLength(frame(0, 0))).toBe(1044); // 44.1 kHz
    expect(frameLength(frame(0, 1))).toBe(1045);
    expect(frameLength(frame(2, 0))).toBe(1440); // 32 kHz
  });

  it('follows headers across chunks cut anywhere, and keeps the first header', () => {
    const frames = [frame(0, 0), frame(0, 1), frame(0, 1), frame(0, 0), frame(0, 1)];
    const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const f of frames) stream.set(f, (at += f.length) - f.length);
    for (const cut of [1, 2, 3, 5, 1000, 1045, 4096]) {
      const walker = new Mp3FrameWalker();
      for (let i = 0; i < stream.length; i += cut) walker.push(stream.subarray(i, i + cut));
      expect(walker.frames).toBe(5);
      expect(walker.bytes).toBe(stream.length);
      expect(walker.complete).toBe(true);
      expect([...walker.firstHeader!]).toEqual([...frames[0]!.subarray(0, 4)]);
    }
    const partial = new Mp3FrameWalker();
    partial.push(stream.subarray(0, 1500));
    expect(partial.complete).toBe(false);
  });

  it('refuses bytes that are no frame header with a typed error', () => {
    const walker = new Mp3FrameWalker();
    walker.push(frame(1, 0));
    let caught: unknown;
    try {
      walker.push(Uint8Array.of(0x49, 0x44, 0x33, 0x04)); // "ID3"
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BakeError);
    expect((caught as BakeError).code).toBe('encoder');
    expect((caught as BakeError).message).toMatch(/at byte 960/);
  });
});
