import { describe, expect, it } from 'vitest';
import { createReadiness } from './createReadiness.ts';

describe('createReadiness', () => {
  it('counts a probe that never answers as failed once the timeout passed, and aborts it', async () => {
    let aborted = false;
    const readiness = createReadiness({
      probes: {
        hung: (signal) => new Promise<void>(() => signal.addEventListener('abort', () => (aborted = true))),
        fine: async () => undefined,
        refused: async () => Promise.reject(new Error('ECONNREFUSED')),
      },
      draining: () => false,
      timeoutMs: 30,
      maxAgeMs: 0,
    });
    expect(await readiness.failing()).toEqual(['hung', 'refused']);
    expect(aborted).toBe(true);
  });

  it('shares one round of probes among concurrent checks and reuses it within maxAgeMs', async () => {
    let calls = 0;
    let up = true;
    const readiness = createReadiness({
      probes: { redis: async () => void (calls++, up || (await Promise.reject(new Error('down')))) },
      draining: () => false,
      timeoutMs: 1000,
      maxAgeMs: 60_000,
    });
    const answers = await Promise.all(Array.from({ length: 50 }, () => readiness.failing()));
    expect(answers.every((a) => a.length === 0)).toBe(true);
    expect(calls).toBe(1);
    up = false;
    // Still the cached round: a flood of /readyz is not a flood of round trips.
    expect(await readiness.failing()).toEqual([]);
    expect(calls).toBe(1);
  });

  it('is not ready while draining, without asking the dependencies', async () => {
    let calls = 0;
    const readiness = createReadiness({ probes: { redis: async () => void calls++ }, draining: () => true, timeoutMs: 1000, maxAgeMs: 0 });
    expect(await readiness.failing()).toEqual(['draining']);
    expect(calls).toBe(0);
  });
});
