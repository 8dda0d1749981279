import type * as Y from 'yjs';
import type { TransactionOrigin } from '@mixroom/shared/protocol';
import {
  addAutomationPoint,
  clearAutomationLane,
  moveAutomationPoint,
  paramAddressOf,
  removeAutomationPoints,
  setAutomationCurve,
  writeAutomationRange,
  MixOpError,
  type GestureScheduler,
  type ParamAddress,
} from '@mixroom/shared/ops';
import type { StripRef } from '../mix/edit/MixActions.ts';
import { createThrottledCommit } from './createThrottledCommit.ts';
import type { LaneEditActions, LanePointMove } from './LaneEditActions.ts';

export interface LaneEditOptions {
  doc: Y.Doc;
  /** This user's origin: the only one their UndoManager tracks. */
  origin: TransactionOrigin;
  undo: Y.UndoManager;
  /** A refused op (the point or strip was just removed by someone else): shown, never thrown. */
  onError: (error: unknown) => void;
  scheduler: GestureScheduler;
}

/**
 * Maps lane edits onto the shared/ops automation operations with this user's origin. A
 * discrete edit is one undo step (capturing stops before and after it); a drag or a
 * recorded pass stops capturing at its start and end, and its throttled commits merge
 * inside the UndoManager's capture window, like a fader drag.
 */
export function createLaneEditActions(options: LaneEditOptions): LaneEditActions {
  const { doc, origin, undo, onError, scheduler } = options;

  const address = (strip: StripRef, path: string): ParamAddress => {
    const a = paramAddressOf(strip, path);
    if (!a) throw new MixOpError('unknown-param', `This ${strip.scope} has no parameter ${path}`);
    return a;
  };
  const attempt = <T>(run: () => T): T | null => {
    try {
      return run();
    } catch (error) {
      onError(error);
      return null;
    }
  };
  /** One undo step of its own. */
  const discrete = <T>(run: () => T): T | null => {
    lastNudge = null;
    undo.stopCapturing();
    const result = attempt(run);
    undo.stopCapturing();
    return result;
  };
  const moveAll = (strip: StripRef, path: string, moves: readonly LanePointMove[]): void => {
    const at = address(strip, path);
    doc.transact(() => {
      for (const m of moves) moveAutomationPoint(doc, { address: at, id: m.id, time: m.time, value: m.value }, origin);
    }, origin);
  };
  let lastNudge: string | null = null;

  return {
    add: (strip, path, point) => discrete(() => addAutomationPoint(doc, { address: address(strip, path), ...point }, origin)),
    remove: (strip, path, ids) => void discrete(() => removeAutomationPoints(doc, { address: address(strip, path), ids }, origin)),
    clear: (strip, path) => void discrete(() => clearAutomationLane(doc, { address: address(strip, path) }, origin)),
    setCurve: (strip, path, ids, curve) =>
      void discrete(() => {
        const at = address(strip, path);
        doc.transact(() => ids.forEach((id) => setAutomationCurve(doc, { address: at, id, curve }, origin)), origin);
      }),
    nudge(strip, path, moves) {
      // Steps on the same lane in quick succession merge into one undo step, like a fader's nudges.
      const key = `${strip.scope}:${strip.id}:${path}`;
      if (key !== lastNudge) undo.stopCapturing();
      lastNudge = key;
      attempt(() => moveAll(strip, path, moves));
    },
    drag(strip, path) {
      lastNudge = null;
      undo.stopCapturing();
      let failed = false;
      const commit = createThrottledCommit<readonly LanePointMove[]>(scheduler, (moves) => {
        if (failed) return;
        // A refusal (a peer removed a dragged point) stops the drag's writes; it is shown once.
        if (attempt(() => moveAll(strip, path, moves)) === null) failed = true;
      });
      return {
        update: (moves) => commit.update(moves),
        end: () => {
          commit.end();
          undo.stopCapturing();
        },
      };
    },
    record(strip, path) {
      lastNudge = null;
      undo.stopCapturing();
      let failed = false;
      return {
        write(range) {
          if (failed) return;
          if (attempt(() => writeAutomationRange(doc, { address: address(strip, path), from: range.from, to: range.to, points: range.points }, origin)) === null) failed = true;
        },
        end: () => undo.stopCapturing(),
      };
    },
  };
}
