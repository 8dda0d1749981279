import type { AutomationCurve } from '@mixroom/shared/model';
import type { StripRef } from '../mix/edit/MixActions.ts';
import type { ThrottledCommit } from './createThrottledCommit.ts';

/** A point to add (its id is made by the op). */
export interface NewLanePoint {
  time: number;
  value: number;
  curve: AutomationCurve;
}

/** Where a dragged or nudged point goes. */
export interface LanePointMove {
  id: string;
  time: number;
  value: number;
}

/**
 * What a recorded pass writes at each commit: its points replace every point of the lane
 * in [from, to] (seconds), so a ride overwrites what it passes over and nothing else.
 */
export interface LaneRangeWrite {
  from: number;
  to: number;
  points: readonly NewLanePoint[];
}

/**
 * Lane edits the console may make, each through the shared/ops lane operations with this
 * user's origin (so their UndoManager sees exactly their edits). Discrete edits are one undo
 * step each; a drag or a recorded pass is a throttled gesture and one undo step.
 */
export interface LaneEditActions {
  /** Adds a point; returns its id (null when refused: the error is shown). */
  add(strip: StripRef, path: string, point: NewLanePoint): string | null;
  /** Starts a drag of points: each update is their new places, committed at most ~10/s. */
  drag(strip: StripRef, path: string): ThrottledCommit<readonly LanePointMove[]>;
  /** A keyboard step of points: steps in quick succession are one undo step. */
  nudge(strip: StripRef, path: string, moves: readonly LanePointMove[]): void;
  remove(strip: StripRef, path: string, ids: readonly string[]): void;
  setCurve(strip: StripRef, path: string, ids: readonly string[], curve: AutomationCurve): void;
  /** Removes every point of the lane (the parameter plays its static value again). */
  clear(strip: StripRef, path: string): void;
  /**
   * Starts a recorded pass (one undo step until `end`); the recorder calls `write` at most
   * every GESTURE_COMMIT_MS, like a fader gesture's commits.
   */
  record(strip: StripRef, path: string): LaneRecordPass;
}

export interface LaneRecordPass {
  write(range: LaneRangeWrite): void;
  end(): void;
}
