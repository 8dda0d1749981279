/** Stable id of a track, bus or send target (random, never reused). */
export type Id = string;
/** Level in decibels relative to unity (0 dB = gain 1). */
export type Decibels = number;
/** Frequency in hertz. */
export type Hz = number;
/** Duration in seconds. */
export type Seconds = number;
/** Dimensionless ratio or factor (Q, compression ratio, 0..1 mix). */
export type Ratio = number;

/** Where a track or bus sends its output: a group bus id, or the master. */
export type OutputTarget = Id | 'master';
