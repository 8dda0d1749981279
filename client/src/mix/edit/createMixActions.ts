import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { MIX_RANGES, readMixState } from '@mixroom/shared/model';
import { encodeGestureTarget, type TransactionOrigin } from '@mixroom/shared/protocol';
import {
  addBus,
  addSend,
  renameBus,
  renameTrack,
  setParam,
  setSessionTempo,
  createGesture,
  gestureTargetOf,
  paramAddressOf,
  MixOpError,
  type GestureScheduler,
  type ParamAddress,
} from '@mixroom/shared/ops';
import { controlId } from './ControlId.ts';
import type { Gesture, MixActions, ParamPath, ParamValue, StripRef } from './MixActions.ts';

const realScheduler: GestureScheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface MixActionsOptions {
  doc: Y.Doc;
  /** This user's origin: the only one their UndoManager tracks. */
  origin: TransactionOrigin;
  undo: Y.UndoManager;
  /** Drags stream through it (createGesture's awareness field) so peers see and hear them live. */
  awareness: Awareness;
  /** Publishes which control this user holds (presence highlight on every peer). */
  setTouching: (control: string | null) => void;
  /** A refused op (e.g. the track was just removed by someone else): shown, never thrown. */
  onError: (error: unknown) => void;
  /** Injected timers (tests use a fake clock). */
  scheduler?: GestureScheduler;
}

/**
 * Maps UI edits onto shared/ops with this user's origin. A drag is a shared createGesture
 * (awareness at frame rate, the document at most ~10 times a second and on release) and
 * becomes one undo step: capturing stops at its start, and its throttled commits merge
 * inside the UndoManager's capture window.
 */
export function createMixActions(options: MixActionsOptions): MixActions {
  const { doc, origin, undo, setTouching, onError, awareness } = options;
  const scheduler = options.scheduler ?? realScheduler;

  const write = (address: ParamAddress | null, strip: StripRef, path: ParamPath, value: ParamValue): void => {
    try {
      if (!address) throw new MixOpError('unknown-param', `This ${strip.scope} has no parameter ${path}`);
      if (address.kind === 'send') {
        const state = readMixState(doc);
        const owner = state.tracks.find((t) => t.id === address.fromId) ?? state.buses.find((b) => b.id === address.fromId);
        // A send knob on a strip without that send creates it on first touch.
        if (owner && !owner.sends.some((s) => s.bus === address.busId)) {
          // Created silent unless the touch was on its level: toggling PRE must not open a send at 0 dB.
          const level = address.param === 'level' && typeof value === 'number' ? value : MIX_RANGES.sendLevel.min;
          addSend(doc, { fromId: address.fromId, busId: address.busId, level }, origin);
        }
      }
      setParam(doc, address, value, origin);
    } catch (error) {
      onError(error);
    }
  };

  let touchTimer: ReturnType<typeof setTimeout> | null = null;
  const flashTouch = (control: string): void => {
    setTouching(control);
    if (touchTimer) clearTimeout(touchTimer);
    touchTimer = setTimeout(() => setTouching(null), 800);
  };

  /** The control of the last nudge: the next nudge on it, inside the undo capture window, merges. */
  let lastNudge: string | null = null;
  const endNudges = (): void => {
    lastNudge = null;
  };

  return {
    nudge(strip, path, value) {
      const control = controlId(strip.scope, strip.id, path);
      // Another control (or anything else in between) starts a new undo step; the same one
      // keeps capturing, and the UndoManager merges changes inside its capture window.
      if (control !== lastNudge) undo.stopCapturing();
      lastNudge = control;
      flashTouch(control);
      write(paramAddressOf(strip, path), strip, path, value);
    },
    set(strip, path, value) {
      endNudges();
      undo.stopCapturing();
      flashTouch(controlId(strip.scope, strip.id, path));
      write(paramAddressOf(strip, path), strip, path, value);
      undo.stopCapturing();
    },
    addBus(kind, name) {
      endNudges();
      undo.stopCapturing();
      try {
        addBus(doc, { kind, name }, origin);
      } catch (error) {
        onError(error);
      }
      undo.stopCapturing();
    },
    rename(strip, name) {
      endNudges();
      undo.stopCapturing();
      try {
        if (strip.scope === 'track') renameTrack(doc, { trackId: strip.id, name }, origin);
        else if (strip.scope === 'bus') renameBus(doc, { busId: strip.id, name }, origin);
      } catch (error) {
        onError(error);
      }
      undo.stopCapturing();
    },
    setTempo(tempo) {
      endNudges();
      undo.stopCapturing();
      try {
        setSessionTempo(doc, { tempo }, origin);
      } catch (error) {
        onError(error);
      }
      undo.stopCapturing();
    },
    gesture(strip, path, alsoPath): Gesture {
      endNudges();
      undo.stopCapturing();
      if (touchTimer) clearTimeout(touchTimer);
      // A pair (eq.bands.1.freq + .gain) is touched as its point: "EQ band 2".
      setTouching(controlId(strip.scope, strip.id, alsoPath ? `${path.slice(0, path.lastIndexOf('.'))}.point` : path));
      const address = paramAddressOf(strip, path);
      const alsoAddress = alsoPath ? paramAddressOf(strip, alsoPath) : null;
      // An unknown path still runs as a gesture: its writes report the refusal through onError.
      const moved = address ? gestureTargetOf(address) : { target: { kind: 'strip' as const, id: strip.id }, param: path };
      const alsoParam = alsoPath ? (alsoAddress ? gestureTargetOf(alsoAddress).param : alsoPath) : undefined;
      const g = createGesture({
        doc,
        awareness,
        origin,
        target: encodeGestureTarget(moved.target),
        param: moved.param,
        ...(alsoParam ? { alsoParam } : {}),
        // Both values of a pair land in one transaction: nobody ever reads half a move.
        apply: (_doc, value, _origin, also) =>
          doc.transact(() => {
            write(address, strip, path, value);
            if (alsoPath && also !== null) write(alsoAddress, strip, alsoPath, also);
          }, origin),
        scheduler,
        onError,
      });
      let ended = false;
      const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : undefined);
      return {
        update(value, also) {
          if (!ended && Number.isFinite(value)) g.update(value, finite(also));
        },
        end(value, also) {
          if (ended) return;
          ended = true;
          if (Number.isFinite(value)) g.update(value, finite(also));
          g.end();
          setTouching(null);
          undo.stopCapturing();
        },
      };
    },
  };
}
