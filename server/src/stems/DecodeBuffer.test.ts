import { describe, expect, it } from 'vitest';
import { DecodeBuffer } from './DecodeBuffer.ts';

const ramp = (from: number, n: number) => Float32Array.from({ length: n }, (_, i) => from + i);

describe('DecodeBuffer', () => {
  it('keeps every sample in order across its blocks, and joins them once', () => {
    const buf = new DecodeBuffer(2, { declaredFrames: null, maxFrames: 5_000_000, initialFrames: 1000, maxSeconds: 100, label: 'X' });
    let at = 0;
    // Pushes that straddle block boundaries (1000, then blocks of 2^20 frames).
    for (const n of [700, 700, 1_048_000, 3000, 1]) {
      buf.push([ramp(at, n), ramp(at, n).map((x) => -x)], n);
      at += n;
    }
    const [l, r] = buf.channelData();
    expect(l!.length).toBe(at);
    let bad = 0;
    for (let i = 0; i < at; i++) if (l![i] !== Math.fround(i) || r![i] !== Math.fround(-i)) bad++;
    expect(bad).toBe(0);
    expect(buf.frames).toBe(at);
  });

  it('refuses a frame past the budget when no length is declared, and past the declared length otherwise', () => {
    const open = new DecodeBuffer(1, { declaredFrames: null, maxFrames: 48_000, maxSeconds: 1, label: 'FLAC' });
    open.push([new Float32Array(47_000)], 47_000);
    expect(() => open.reserve(1001)).toThrow(/FLAC file does not declare its length and decodes past the limit of 1 s/);
    open.reserve(1000);
    const declared = new DecodeBuffer(1, { declaredFrames: 100, maxFrames: 48_000, maxSeconds: 1, label: 'Opus' });
    declared.push([new Float32Array(60)], 60);
    expect(() => declared.push([new Float32Array(41)], 41)).toThrow(/Opus file holds more audio than its header declares \(100 frames\)/);
    expect(declared.frames).toBe(60);
  });

  it('applies a scale while copying (FLAC integer convention)', () => {
    const buf = new DecodeBuffer(1, { declaredFrames: 4, maxFrames: 10, maxSeconds: 1, label: 'X' });
    buf.push([Float32Array.of(1, -1, 0.5, 0)], 4, 0.5);
    expect([...buf.channelData()[0]!]).toEqual([0.5, -0.5, 0.25, 0]);
  });
});
