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

/**
 * What an id may look like: short, URL- and key-safe, and never 'master' (the name of the
 * master output target).
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True for a string usable as a track or bus id. */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id) && id !== 'master';
}
