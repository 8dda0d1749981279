import type { Decibels } from '../model/MixState.ts';

/** A linear amplitude factor (1 = unity). */
export type LinearGain = number;

/** Decibels to a linear amplitude factor: 10^(dB/20). -Infinity gives 0. */
export function dbToGain(db: Decibels): LinearGain {
  return Math.pow(10, db / 20);
}

/** Linear amplitude to decibels: 20·log10(|g|). 0 gives -Infinity. */
export function gainToDb(gain: LinearGain): Decibels {
  return 20 * Math.log10(Math.abs(gain));
}
