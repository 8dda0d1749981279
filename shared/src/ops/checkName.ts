import { MAX_NAME_LENGTH } from '../model/mixRanges.ts';
import { MixOpError } from './MixOpError.ts';

/** Trims a user-typed name and refuses empty, too long or non-string names. */
export function checkName(name: unknown, what: string, max = MAX_NAME_LENGTH): string {
  if (typeof name !== 'string') throw new MixOpError('wrong-type', `${what} must be text`);
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new MixOpError('invalid-value', `${what} cannot be empty`);
  if (trimmed.length > max) throw new MixOpError('invalid-value', `${what} is too long (at most ${max} characters)`);
  return trimmed;
}
