import type { StemRef } from '../model/MixState.ts';
import { MixOpError } from './MixOpError.ts';

/** Refuses anything but a well-formed StemRef or null; returns a fresh plain copy. */
export function checkStemRef(stem: unknown): StemRef | null {
  if (stem === null) return null;
  if (typeof stem !== 'object' || stem === undefined) throw new MixOpError('wrong-type', 'A stem must be a stem reference or null');
  const s = stem as Record<string, unknown>;
  if (typeof s.key !== 'string' || s.key.length === 0) throw new MixOpError('invalid-value', 'A stem needs its storage key');
  if (typeof s.fileName !== 'string') throw new MixOpError('invalid-value', 'A stem needs its file name');
  const positive = (k: 'sampleRate' | 'channels' | 'frames', min: number): number => {
    const v = s[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new MixOpError('invalid-value', `A stem's ${k} must be an integer of at least ${min}`);
    }
    return v;
  };
  return {
    key: s.key,
    fileName: s.fileName,
    sampleRate: positive('sampleRate', 1),
    channels: positive('channels', 1),
    frames: positive('frames', 0),
  };
}
