import { describe, expect, it } from 'vitest';
import { decodeGestureTarget, encodeGestureTarget, type GestureTarget } from './GestureTarget.ts';

describe('the gesture target codec', () => {
  it('keeps the v1 wire spellings and round-trips every kind', () => {
    const cases: [GestureTarget, string][] = [
      [{ kind: 'master' }, 'master'],
      [{ kind: 'strip', id: 'k3x9q0a1b2c3d4' }, 'k3x9q0a1b2c3d4'],
      [{ kind: 'send', fromId: 'vox', busId: 'verb_1' }, 'vox>verb_1'],
    ];
    for (const [target, wire] of cases) {
      expect(encodeGestureTarget(target)).toBe(wire);
      expect(decodeGestureTarget(wire)).toEqual(target);
    }
  });

  it('refuses what no peer of ours sends', () => {
    for (const wire of ['', '>', 'a>', '>b', 'a>b>c', 'a b', 'x'.repeat(65), 'master>verb', 'vox>master', 42, null, { kind: 'master' }]) {
      expect(decodeGestureTarget(wire)).toBeNull();
    }
  });
});
