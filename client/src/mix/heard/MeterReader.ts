/**
 * Pull-based meter feed: the element asks at animation-frame rate, the engine answers
 * from its latest worklet report. Peak per channel in dBFS (-Infinity for silence).
 */
export type MeterReader = () => readonly number[];

/** Loudness feed for the master: momentary (400 ms) and short-term (3 s) LUFS. */
export interface LoudnessReading {
  momentary: number;
  shortTerm: number;
}
export type LoudnessReader = () => LoudnessReading;

/** Gain reduction of a compressor in dB (0 = none, positive numbers = reduction). */
export type GainReductionReader = () => number;
