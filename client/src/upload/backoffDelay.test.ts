import { describe, expect, it } from 'vitest';
import { backoffDelay, sleep } from './backoffDelay.ts';

describe('backoffDelay', () => {
  it('doubles per attempt within [ceiling/2, ceiling], capped', () => {
    expect(backoffDelay(1, 500, 15_000, () => 0)).toBe(250);
    expect(backoffDelay(1, 500, 15_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 15_000, () => 1)).toBe(2000);
    expect(backoffDelay(10, 500, 15_000, () => 1)).toBe(15_000);
    expect(backoffDelay(10, 500, 15_000, () => 0)).toBe(7500);
  });

  it('sleep rejects at once when aborted', async () => {
    const c = new AbortController();
    const p = sleep(60_000, c.signal);
    c.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
