import { describe, expect, it } from 'vitest';
import { BakeError } from '../BakeError.ts';
import { SharedQuantizer, SharedQuantizers } from './SharedQuantizer.ts';
import { TpdfQuantizer } from './TpdfQuantizer.ts';

describe('SharedQuantizer', () => {
  const frames = 10000;
  const block = 1024;
  const l = Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin(i * 0.003));
  const r = Float32Array.from({ length: frames }, (_, i) => -0.25 * Math.cos(i * 0.007));
  const blocks = Array.from({ length: Math.ceil(frames / block) }, (_, k) => [l.subarray(k * block, (k + 1) * block), r.subarray(k * block, (k + 1) * block)]);

  it('gives every reader the integers its own quantiser would give, block after block', () => {
    const own = new TpdfQuantizer(24);
    const shared = new SharedQuantizer(24, 2, block);
    const [a, b] = [shared.reader(), shared.reader()];
    const [mine, outA, outB] = [new Int32Array(block * 2), new Int32Array(block * 2), new Int32Array(block * 2)];
    for (const blk of blocks) {
      const n = blk[0]!.length;
      own.quantize(blk, n, mine);
      a(blk, n, outA);
      b(blk, n, outB);
      expect(outA.subarray(0, n * 2)).toEqual(mine.subarray(0, n * 2));
      expect(outB.subarray(0, n * 2)).toEqual(mine.subarray(0, n * 2));
    }
  });

  it('keeps bit depths apart, and refuses a reader fed another block than the others', () => {
    const pool = new SharedQuantizers();
    const [w24, flac, w16] = [pool.reader(24, 2, block), pool.reader(24, 2, block), pool.reader(16, 2, block)];
    const out = new Int32Array(block * 2);
    const mine = new Int32Array(block * 2);
    w24(blocks[0]!, block, out);
    w16(blocks[0]!, block, out);
    new TpdfQuantizer(16).quantize(blocks[0]!, block, mine);
    expect(out).toEqual(mine);
    // Block 0 was quantised for a full block: FLAC asking it for fewer frames was fed something else.
    expect(() => flac(blocks[0]!, 100, out)).toThrow(BakeError);
    // WAV 24 moves on to block 2 while FLAC still owes block 0: two blocks apart.
    w24(blocks[1]!, block, out);
    expect(() => flac(blocks[0]!, block, out)).toThrow(BakeError);
  });
});
