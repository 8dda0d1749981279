import { isMixOpError } from './MixOpError.ts';

/** The MixOpError code `fn` throws, 'none' when it returns, 'other: ...' for any other error. */
export function mixOpErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isMixOpError(e) ? e.code : `other: ${String(e)}`;
  }
  return 'none';
}
