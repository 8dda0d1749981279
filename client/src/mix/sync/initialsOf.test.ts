import { describe, expect, it } from 'vitest';
import { initialsOf } from './initialsOf.ts';

describe('initialsOf', () => {
  it('builds initials from letters and digits only, never punctuation', () => {
    expect(initialsOf('Eve (engineer)')).toBe('EE');
    expect(initialsOf('Ana')).toBe('A');
    expect(initialsOf('ana-maria lópez')).toBe('AM');
    expect(initialsOf('  "Ben"  ')).toBe('B');
    expect(initialsOf('@dj_k')).toBe('DK');
    expect(initialsOf('Émile Zola')).toBe('ÉZ');
    expect(initialsOf('2Pac')).toBe('2');
    expect(initialsOf('(((')).toBe('?');
    expect(initialsOf('Øyvind 🎧')).toBe('Ø');
  });
});
