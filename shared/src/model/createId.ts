import * as random from 'lib0/random';

/**
 * A fresh random id for a track or bus: 64 random bits in base 36. Random (not a counter)
 * so two peers creating objects at the same time never collide, and never reused.
 */
export function createId(): string {
  const hi = random.uint32().toString(36).padStart(7, '0');
  const lo = random.uint32().toString(36).padStart(7, '0');
  return hi + lo;
}
