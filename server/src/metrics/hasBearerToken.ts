import { timingSafeEqual } from 'node:crypto';

/**
 * True when `authorization` is exactly `Bearer <token>` (compared in constant time); always
 * false without a configured token.
 */
export function hasBearerToken(authorization: string | undefined, token: string | null): boolean {
  if (token === null) return false;
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(authorization ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
