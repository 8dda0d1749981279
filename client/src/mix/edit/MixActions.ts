/**
 * What the UI may do to the shared mix. Elements never touch Yjs: they call these, and
 * the implementation (createMixActions) maps each call onto a shared/ops operation with
 * this user's transaction origin, so the user's UndoManager sees exactly their edits.
 */
export type StripScope = 'track' | 'bus' | 'master';

export interface StripRef {
  scope: StripScope;
  /** Track or bus id; `master` for the master strip. */
  id: string;
}

/**
 * Dotted path of a parameter inside a strip, mirroring MixState: `gain`, `pan`, `trim`,
 * `mute`, `solo`, `polarity`, `eq.hpf.freq`, `eq.bands.2.gain`, `comp.threshold`,
 * `sat.drive`, `sends.<busId>.level`, `glue.threshold`, `limiter.ceiling` ...
 */
export type ParamPath = string;
export type ParamValue = number | boolean | string | null;

export interface Gesture {
  /**
   * Streams an in-progress value (presence at frame rate, the doc at most ~10/s); `also` is
   * the value of the gesture's second parameter, moving with the first.
   */
  update(value: number, also?: number): void;
  /** Commits the final value(s) and ends the gesture. */
  end(value: number, also?: number): void;
}

export interface MixActions {
  /** A discrete edit (toggle, reset, keyboard step): one committed change. */
  set(strip: StripRef, path: ParamPath, value: ParamValue): void;
  /**
   * A keyboard step of a numeric parameter: steps on the same control, each within a short
   * pause of the one before, are one undo step (like a drag).
   */
  nudge(strip: StripRef, path: ParamPath, value: number): void;
  /**
   * Starts a continuous edit (drag) of a numeric parameter, or of two that move as one
   * (`alsoPath`: an EQ point's frequency and gain), seen and committed together.
   */
  gesture(strip: StripRef, path: ParamPath, alsoPath?: ParamPath): Gesture;
  /** Adds a group bus (tracks route into it) or an aux return (fed by sends). */
  addBus(kind: 'group' | 'aux', name: string): void;
  /** Renames a track or bus (names are trimmed; empty names are refused). */
  rename(strip: StripRef, name: string): void;
  /** Sets the song tempo (bars on the transport and ruler), or null for none. */
  setTempo(tempo: number | null): void;
}
