import { describe, expect, it } from 'vitest';
import { BiquadProcessor, type BiquadParams } from './biquad.ts';
import { BiquadCascade } from './BiquadCascade.ts';
import { seededNoise } from './testSignals.testkit.ts';

const SR = 48000;
const FRAMES = SR;
const EQ: BiquadParams[] = [
  { type: 'highpass', frequency: 40, Q: -3.0103, gain: 0 },
  { type: 'lowshelf', frequency: 90, Q: 0.7, gain: 2 },
  { type: 'peaking', frequency: 300, Q: 1.2, gain: -3 },
  { type: 'peaking', frequency: 2000, Q: 0.9, gain: 2.5 },
  { type: 'highshelf', frequency: 8000, Q: 0.7, gain: 1 },
  { type: 'lowpass', frequency: 16000, Q: 0.5, gain: 0 },
];
/** A change to every stage's parameters at this frame: they ramp across block edges. */
const CHANGE_AT = 12345;
const change = (p: BiquadParams): Partial<BiquadParams> => ({ frequency: p.frequency * 1.3, gain: p.gain - 1, Q: p.Q + 0.2 });

function stagesOf(count: number): BiquadProcessor[] {
  return EQ.slice(0, count).map((p) => {
    const b = new BiquadProcessor(SR);
    b.setParams(p);
    return b;
  });
}

/** Renders `channels` of noise through the stages in `block`-frame blocks, one way or the other. */
function render(count: number, channels: number, block: number, fused: boolean): Float32Array[] {
  const stages = stagesOf(count);
  const cascade = new BiquadCascade(stages);
  const input = Array.from({ length: channels }, (_, c) => seededNoise(FRAMES, 0.8, c + 1));
  const out = Array.from({ length: channels }, () => new Float32Array(FRAMES));
  for (let i = 0; i < FRAMES; ) {
    if (i === CHANGE_AT) stages.forEach((s, k) => s.setParams(change(EQ[k]!)));
    const n = Math.min(block, FRAMES - i, i < CHANGE_AT ? CHANGE_AT - i : Infinity);
    const ins = input.map((x) => x.subarray(i, i + n));
    const outs = out.map((y) => y.subarray(i, i + n));
    if (fused) cascade.process(ins, outs, n);
    else {
      stages[0]!.process(ins, outs, n);
      for (let k = 1; k < stages.length; k++) stages[k]!.process(outs, outs, n);
    }
    i += n;
  }
  return out;
}

function differing(a: Float32Array[], b: Float32Array[]): number {
  let n = 0;
  for (let c = 0; c < a.length; c++) for (let i = 0; i < a[c]!.length; i++) if (!Object.is(a[c]![i], b[c]![i])) n++;
  return n;
}

describe('BiquadCascade', () => {
  for (const count of [1, 2, 5, 6]) {
    for (const channels of [1, 2]) {
      it(`${count} stages, ${channels} channel(s): bit-identical to the stages one after another, through a ramp`, () => {
        const want = render(count, channels, 4096, false);
        for (const block of [128, 1000, 4096]) {
          expect({ block, differing: differing(render(count, channels, block, true), want) }).toEqual({ block, differing: 0 });
        }
      });
    }
  }

  it('processes in place and leaves the stages ready for separate use', () => {
    const a = stagesOf(5);
    const b = stagesOf(5);
    const cascade = new BiquadCascade(a);
    const x = [seededNoise(8192, 0.8, 3), seededNoise(8192, 0.8, 4)];
    const inPlace = x.map((c) => c.slice());
    const separate = x.map((c) => c.slice());
    cascade.process(inPlace.map((c) => c.subarray(0, 4096)), inPlace.map((c) => c.subarray(0, 4096)), 4096);
    // Second half: the cascade's stages run on their own; state must carry over exactly.
    a[0]!.process(inPlace.map((c) => c.subarray(4096)), inPlace.map((c) => c.subarray(4096)), 4096);
    for (let k = 1; k < 5; k++) a[k]!.process(inPlace.map((c) => c.subarray(4096)), inPlace.map((c) => c.subarray(4096)), 4096);
    for (const s of b) s.process(separate, separate, 8192);
    expect(differing(inPlace, separate)).toBe(0);
  });
});
