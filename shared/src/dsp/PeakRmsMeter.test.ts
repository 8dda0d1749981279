import { describe, expect, it } from 'vitest';
import { PeakRmsMeter } from './PeakRmsMeter.ts';
import { sine } from './testSignals.testkit.ts';

const SR = 48000;

describe('PeakRmsMeter', () => {
  it('reads a sine at peak A and RMS A/√2, per channel, independent of block size', () => {
    const l = sine(SR, 1000, 0.5, SR);
    const r = sine(SR, 1000, 0.25, SR, Math.PI / 2);
    for (const block of [128, 4096]) {
      const m = new PeakRmsMeter(SR);
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      for (let i = 0; i < SR; i += block) {
        const n = Math.min(block, SR - i);
        m.process([l.subarray(i, i + n), r.subarray(i, i + n)], outs.map((c) => c.subarray(i, i + n)), n);
      }
      const reading = m.takeReading();
      expect(reading.frames).toBe(SR);
      expect(reading.peak[0]).toBeCloseTo(0.5, 6);
      expect(reading.peak[1]).toBeCloseTo(0.25, 6);
      expect(reading.rms[0]).toBeCloseTo(0.5 / Math.SQRT2, 5);
      expect(reading.rms[1]).toBeCloseTo(0.25 / Math.SQRT2, 5);
      expect(outs[0]).toEqual(l); // pass-through
      expect(m.takeReading().peak[0]).toBe(0); // a new reading starts empty
    }
  });
});
