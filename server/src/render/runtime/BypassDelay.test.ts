import { describe, expect, it } from 'vitest';
import { createPlanProcessor, type ProcessorPlanNode } from '@mixroom/shared/plan';
import { BypassDelay } from './BypassDelay.ts';

describe('BypassDelay', () => {
  it('outputs exactly what the shared bypassed processor outputs, for any block size', () => {
    const node: ProcessorPlanNode = {
      kind: 'limiter',
      id: 'master::limiter',
      owner: { kind: 'master', id: '' },
      role: 'limiter',
      channels: 2,
      params: { ceiling: -1, release: 0.05 },
      bypass: true,
      sidechain: false,
    };
    const frames = 5000;
    const input = [Float32Array.from({ length: frames }, (_, i) => Math.sin(i * 0.01)), Float32Array.from({ length: frames }, (_, i) => i / frames)];
    const reference = createPlanProcessor(node, 48000);
    expect(reference.latencyFrames).toBeGreaterThan(0);
    const expected = [new Float32Array(frames), new Float32Array(frames)];
    reference.process(input, expected, frames);
    for (const block of [1, 7, reference.latencyFrames, 128, 1000, 5000]) {
      const delay = new BypassDelay(reference.latencyFrames, 2);
      const got = [new Float32Array(frames), new Float32Array(frames)];
      for (let at = 0; at < frames; at += block) {
        const n = Math.min(block, frames - at);
        delay.process(input.map((c) => c.subarray(at, at + n)), got.map((c) => c.subarray(at, at + n)), n);
      }
      expect(got).toEqual(expected);
    }
  });

  it('works in place', () => {
    const delay = new BypassDelay(3, 1);
    const buf = Float32Array.from([1, 2, 3, 4, 5]);
    delay.process([buf], [buf], 5);
    expect([...buf]).toEqual([0, 0, 0, 1, 2]);
    const next = Float32Array.from([6, 7]);
    delay.process([next], [next], 2);
    expect([...next]).toEqual([3, 4]);
  });
});
