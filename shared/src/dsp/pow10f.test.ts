import { describe, expect, it } from 'vitest';
import { pow10f } from './pow10f.ts';

/** The expression pow10f stands for (Chromium's float32 exp of a float32 argument). */
const reference = (x: number) => Math.fround(Math.exp(Math.fround(x * 2.30258509299404568402)));

describe('pow10f', () => {
  it('equals the Math.exp expression bit for bit on every 5th float32 gain/40 within ±48 dB', () => {
    const f32 = new Float32Array(1);
    const bits = new Uint32Array(f32.buffer);
    let checked = 0;
    const wrong: number[] = [];
    for (const sign of [0, 0x80000000]) {
      for (let b = 0; ; b += 5 * 97) {
        bits[0] = (b | sign) >>> 0;
        const g = f32[0]!;
        if (!(Math.abs(g) <= 48)) break;
        checked++;
        if (pow10f(g / 40) !== reference(g / 40) && wrong.length < 5) wrong.push(g);
      }
    }
    expect(checked).toBeGreaterThan(4e6 / 97);
    expect(wrong).toEqual([]);
  });

  it('equals it across the whole clamp range, at the edges and for non-finite input', () => {
    const xs: number[] = [NaN, Infinity, -Infinity, 0, -0, 1541 / 40, -1541 / 40, 80 / 2.302585, -80 / 2.302585, 100, -100];
    for (let i = 0; i <= 200000; i++) xs.push(-1541 / 20 + (i / 200000) * (1541 / 10));
    const wrong = xs.filter((x) => !Object.is(pow10f(x), reference(x)));
    expect(wrong).toEqual([]);
  });
});
